namespace JobServer.Transfers.Multipart;

/// <summary>
/// The request body is not the multipart/form-data its Content-Type announced (RFC 2046 §5.1.1, RFC 7578): the
/// client's mistake, answered 400 with the message. Thrown by <see cref="MultipartBodyReader"/>.
/// </summary>
internal sealed class MalformedMultipartException : Exception
{
    public MalformedMultipartException(string message) : base(message)
    {
    }

    public MalformedMultipartException()
    {
    }

    public MalformedMultipartException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
