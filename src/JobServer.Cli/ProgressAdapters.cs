using JobServer.Client;

namespace JobServer.Cli;

/// <summary>Turns the library's job and transfer progress into what <see cref="ProgressDisplay"/> shows.</summary>
internal static class ProgressAdapters
{
    public static IProgress<JobProgress> Job(IProgress<(double? Percent, string? Text)> display) =>
        new Adapter<JobProgress>(p => display.Report((p.Percent, p.Description)));

    /// <summary>Bytes as a percentage when the size is known; the text changes only per 16 MiB, so plain lines come per whole percent.</summary>
    public static IProgress<TransferProgress> Transfer(IProgress<(double? Percent, string? Text)> display) =>
        new Adapter<TransferProgress>(p =>
        {
            if (p.TotalBytes is > 0 and var total)
            {
                display.Report((100.0 * p.Bytes / total, Size(total)));
            }
            else
            {
                display.Report((null, Size(p.Bytes / (16 << 20) * (16 << 20))));
            }
        });

    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.0} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes} B",
    };

    private sealed class Adapter<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
