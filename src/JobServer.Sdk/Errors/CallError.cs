using System.Text.Json.Nodes;

namespace JobServer.Sdk.Errors;

/// <summary>
/// An error a method raises on purpose. Clients see <see cref="Errno"/> in <c>error</c> and
/// <c>"[ERRNAME] message"</c> in <c>reason</c>, as middlewared's CallError.
/// </summary>
public class CallError : Exception
{
    /// <summary>Creates a call error.</summary>
    /// <param name="message">What went wrong, for a person.</param>
    /// <param name="errno">The errno; <value>the default is <see cref="Errors.Errno.EFAULT"/></value>.</param>
    /// <param name="extra">Structured detail for programs, sent as <c>extra</c>.</param>
    public CallError(string message, int errno = Errors.Errno.EFAULT, JsonNode? extra = null)
        : base(message)
    {
        Errno = errno;
        Extra = extra;
    }

    /// <summary>Creates a call error with the default errno.</summary>
    public CallError() : this("Call failed")
    {
    }

    /// <summary>Creates a call error with the default errno.</summary>
    public CallError(string message) : this(message, Errors.Errno.EFAULT)
    {
    }

    /// <summary>Creates a call error that wraps another exception.</summary>
    public CallError(string message, Exception innerException) : base(message, innerException)
    {
        Errno = Errors.Errno.EFAULT;
    }

    /// <summary>The errno sent as <c>error</c>.</summary>
    public int Errno { get; }

    /// <summary>Structured detail sent as <c>extra</c>.</summary>
    public JsonNode? Extra { get; }

    /// <summary>The reason clients read: <c>"[ERRNAME] message"</c>.</summary>
    public string Reason => $"[{Errors.Errno.NameOf(Errno)}] {Message}";
}
