using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using JobServer.Bench.Infrastructure;

namespace JobServer.Bench.Peers;

/// <summary>
/// The second ceiling of the transfers scenario: the same command the daemon's <c>exec.run</c> job runs
/// (<see cref="TransferCommands"/>), drained or fed by the harness straight through its stdout or stdin (no
/// daemon, no HTTP), with the same 1 MiB pipe and 256 KiB chunks the daemon uses. A job server cannot move that
/// process's bytes faster than this.
/// </summary>
internal static partial class ProcessPipeCeiling
{
    private const int ChunkBytes = 256 * 1024;

    /// <summary>Reads all of the download command's stdout; MiB/s.</summary>
    public static async Task<double> DownloadAsync(TransferCommands commands)
    {
        var started = Stopwatch.GetTimestamp();
        using var process = Start(commands.Download, stdin: false);
        Grow(process.StandardOutput.BaseStream);
        var buffer = new byte[ChunkBytes];
        long total = 0;
        int read;
        while ((read = await process.StandardOutput.BaseStream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        await process.WaitForExitAsync();
        return total == commands.Bytes
            ? Rate(commands.Bytes, started)
            : throw new InvalidOperationException($"read {total} of {commands.Bytes} bytes");
    }

    /// <summary>Writes the bytes into the upload command's stdin and checks the count it prints; MiB/s.</summary>
    public static async Task<double> UploadAsync(TransferCommands commands)
    {
        var started = Stopwatch.GetTimestamp();
        using var process = Start(commands.Upload, stdin: true);
        Grow(process.StandardInput.BaseStream);
        await using (var zeros = new ZeroStream(commands.Bytes))
        {
            await zeros.CopyToAsync(process.StandardInput.BaseStream, ChunkBytes);
        }

        process.StandardInput.Close();
        var counted = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        commands.CheckCount(counted);
        return Rate(commands.Bytes, started);
    }

    private static double Rate(long bytes, long started) =>
        bytes / 1048576.0 / (Stats.Ms(started, Stopwatch.GetTimestamp()) / 1000);

    private static Process Start((string Executable, string[] Args) command, bool stdin)
    {
        var info = new ProcessStartInfo(command.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = stdin,
            UseShellExecute = false,
        };
        foreach (var arg in command.Args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start " + command.Executable);
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
