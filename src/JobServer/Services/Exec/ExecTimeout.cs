using System.Globalization;
using JobServer.Sdk.Errors;

namespace JobServer.Services.Exec;

/// <summary>
/// The range of <c>options.timeout_seconds</c> of <c>exec.run</c>. Outside it the timer cannot be built (a negative
/// or a huge value threw .NET's own text at the job, issue 12 item 9), or it means nothing useful (0 would abort
/// at once); so the call is refused instead. Omit the option (or pass null) for no timeout.
/// </summary>
internal static class ExecTimeout
{
    /// <summary>One millisecond: the timer's resolution; anything shorter would abort at once.</summary>
    public const double MinSeconds = 0.001;

    /// <summary>30 days, well inside what a timer can wait (about 49 days).</summary>
    public const double MaxSeconds = 30 * 24 * 3600;

    public static void Check(double? seconds)
    {
        if (seconds is { } value && !(value is >= MinSeconds and <= MaxSeconds))
        {
            throw new ValidationException("exec_run.options.timeout_seconds", string.Create(CultureInfo.InvariantCulture,
                $"Must be between {MinSeconds} and {MaxSeconds} seconds (or null for no timeout), got {value}"),
                Errno.EINVAL);
        }
    }
}
