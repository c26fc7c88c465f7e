namespace JobServer.Sdk.Errors;

/// <summary>
/// A query with <c>get: true</c> matched nothing. Clients see errno 22 (EINVAL) and the reason
/// <c>"MatchNotFound()"</c>, exactly as middlewared renders its MatchNotFound.
/// </summary>
public sealed class MatchNotFoundException : Exception
{
    /// <summary>The reason text clients receive.</summary>
    public const string ReasonText = "MatchNotFound()";

    /// <summary>Creates the error.</summary>
    public MatchNotFoundException() : base(ReasonText)
    {
    }

    /// <summary>Creates the error.</summary>
    public MatchNotFoundException(string message) : base(message)
    {
    }

    /// <summary>Creates the error.</summary>
    public MatchNotFoundException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
