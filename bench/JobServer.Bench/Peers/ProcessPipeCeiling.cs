using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using JobServer.Bench.Infrastructure;

namespace JobServer.Bench.Peers;

/// <summary>
/// The second ceiling of the transfers scenario: the same shell command the daemon's <c>exec.run</c> job runs,
/// fed or drained by the harness straight through its stdin or stdout (no daemon, no HTTP), with the same 1 MiB
/// pipe and 256 KiB chunks the daemon uses. A job cannot move a process's bytes faster than this; on a 2-core
/// machine the command's own processes (<c>head | cat</c>, <c>cat | wc</c>) take much of the CPU.
/// </summary>
internal static partial class ProcessPipeCeiling
{
    private const int ChunkBytes = 256 * 1024;

    /// <summary>Reads all of <c>sh -c "head -c N /dev/zero | cat"</c>'s stdout; MiB/s.</summary>
    public static async Task<double> DownloadAsync(long bytes)
    {
        var started = Stopwatch.GetTimestamp();
        using var process = Start($"head -c {bytes} /dev/zero | cat", stdin: false);
        Grow(process.StandardOutput.BaseStream);
        var buffer = new byte[ChunkBytes];
        long total = 0;
        int read;
        while ((read = await process.StandardOutput.BaseStream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        await process.WaitForExitAsync();
        return total == bytes
            ? bytes / 1048576.0 / (Stats.Ms(started, Stopwatch.GetTimestamp()) / 1000)
            : throw new InvalidOperationException($"read {total} of {bytes} bytes");
    }

    /// <summary>Writes N zero bytes into <c>sh -c "cat | wc -c"</c>'s stdin and checks its count; MiB/s.</summary>
    public static async Task<double> UploadAsync(long bytes)
    {
        var started = Stopwatch.GetTimestamp();
        using var process = Start("cat | wc -c", stdin: true);
        Grow(process.StandardInput.BaseStream);
        await using (var zeros = new ZeroStream(bytes))
        {
            await zeros.CopyToAsync(process.StandardInput.BaseStream, ChunkBytes);
        }

        process.StandardInput.Close();
        var counted = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();
        return counted == bytes.ToString(System.Globalization.CultureInfo.InvariantCulture)
            ? bytes / 1048576.0 / (Stats.Ms(started, Stopwatch.GetTimestamp()) / 1000)
            : throw new InvalidOperationException($"wc counted {counted} of {bytes} bytes");
    }

    private static Process Start(string command, bool stdin)
    {
        var info = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardInput = stdin, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start sh");
    }

    /// <summary>1 MiB pipe buffer, as the daemon's <c>PipeCapacity</c> sets (F_SETPIPE_SZ); best effort.</summary>
    private static void Grow(Stream stream)
    {
        if (OperatingSystem.IsLinux() && stream is PipeStream { SafePipeHandle: var handle })
        {
            _ = SetPipeSize((int)handle.DangerousGetHandle(), 1031, 1024 * 1024);
        }
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int SetPipeSize(int fd, int command, int bytes);
}
