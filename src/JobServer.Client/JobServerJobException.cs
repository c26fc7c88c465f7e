using System.Text.Json;

namespace JobServer.Client;

/// <summary>A job ended FAILED or ABORTED: its error, with the job's id.</summary>
public sealed class JobServerJobException : JobServerCallException
{
    public JobServerJobException()
    {
    }

    public JobServerJobException(string message)
        : base(message)
    {
    }

    public JobServerJobException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal JobServerJobException(long jobId, JobServerCallException error)
        : base(error.Method, error.Errno, error.ErrName, error.Reason, error.ErrorType, error.Extra, error.JsonRpcCode)
    {
        JobId = jobId;
    }

    /// <summary>The job that failed.</summary>
    public long JobId { get; }

    /// <summary>True when the job was aborted (errno 125 ECANCELED) rather than failed.</summary>
    public bool Aborted => Errno == 125;

    /// <summary>The validation problems (<c>[attribute, message, errno]</c>) when the job failed validation.</summary>
    public IReadOnlyList<(string Attribute, string Message, int Errno)> ValidationErrors =>
        Extra is { ValueKind: JsonValueKind.Array } list
            ? [.. list.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.Array && e.GetArrayLength() >= 3)
                .Select(e => (e[0].GetString() ?? "", e[1].GetString() ?? "", e[2].TryGetInt32(out var n) ? n : 0))]
            : [];
}
