using System.Text.Json;

namespace JobServer.Client;

/// <summary>The daemon refused a call or the method failed: middlewared's error object, whichever dialect.</summary>
/// <remarks>Programs should branch on <see cref="Errno"/> (or <see cref="ErrName"/>), not on the text.</remarks>
public class JobServerCallException : Exception
{
    public JobServerCallException()
    {
    }

    public JobServerCallException(string message)
        : base(message)
    {
    }

    public JobServerCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>An error as the daemon sent it.</summary>
    public JobServerCallException(string method, int errno, string? errName, string reason, string? errorType,
        JsonElement? extra, int? jsonRpcCode = null)
        : base(reason)
    {
        Method = method;
        Errno = errno;
        ErrName = errName;
        Reason = reason;
        ErrorType = errorType;
        Extra = extra;
        JsonRpcCode = jsonRpcCode;
    }

    /// <summary>The method called.</summary>
    public string Method { get; } = "";

    /// <summary>middlewared's errno (<c>error</c>): 13 EACCES, 22 EINVAL, 207 ENOTAUTHENTICATED, …</summary>
    public int Errno { get; }

    /// <summary>The errno's symbolic name (<c>errname</c>), when sent.</summary>
    public string? ErrName { get; }

    /// <summary>The reason text, <c>[ERRNAME] message</c>.</summary>
    public string Reason { get; } = "";

    /// <summary><c>VALIDATION</c> for a validation error (DDP and failed jobs say so; JSON-RPC by code -32602).</summary>
    public string? ErrorType { get; }

    /// <summary>The error's <c>extra</c>: for a validation error <c>[[attribute, message, errno], …]</c>.</summary>
    public JsonElement? Extra { get; }

    /// <summary>The JSON-RPC error code (-32001, -32602, …) when the call went over JSON-RPC.</summary>
    public int? JsonRpcCode { get; }
}
