using System.Globalization;
using JobServer.Bench.Infrastructure;

namespace JobServer.Bench.Peers;

/// <summary>
/// The processes the transfers scenario moves bytes through, the same for the daemon's <c>exec.run</c> jobs and
/// for the command-alone ceiling: <c>cat &lt;file&gt;</c> writes a download (the file is sparse: zeros from the
/// page cache, no disk), and <c>wc -c</c> reads an upload and prints how many bytes arrived.
/// </summary>
internal sealed class TransferCommands : IDisposable
{
    private readonly string _directory;

    public TransferCommands(long bytes)
    {
        Bytes = bytes;
        _directory = BenchPaths.NewTempDirectory("transfer");
        SourceFile = Path.Combine(_directory, "zeros.bin");
        using (var file = File.Create(SourceFile))
        {
            file.SetLength(bytes);
        }

        Download = ("cat", [SourceFile]);
        Upload = ("wc", ["-c"]);
    }

    public long Bytes { get; }

    public string SourceFile { get; }

    public (string Executable, string[] Args) Download { get; }

    public (string Executable, string[] Args) Upload { get; }

    /// <summary>Throws unless <c>wc -c</c>'s output is exactly the number of bytes sent.</summary>
    public void CheckCount(string? counted)
    {
        if (counted?.Trim() != Bytes.ToString(CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"wc -c counted {counted?.Trim()} of the {Bytes} bytes sent");
        }
    }

    public void Dispose() => BenchPaths.DeleteQuietly(_directory);
}
