namespace JobServer.Transfers.Multipart;

/// <summary>
/// The content of one part, read straight from the request body by its <see cref="MultipartBodyReader"/>. Ends
/// (reads 0) at the part's delimiter, or once the reader has moved on to a later part.
/// </summary>
internal sealed class MultipartPartStream(MultipartBodyReader reader, int partNumber) : ReadOnlyStream
{
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        reader.ReadContentAsync(partNumber, buffer, cancellationToken);
}
