using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace JobServer.Workers.Host;

/// <summary>
/// Takes the worker's standard input and output for the channel to the daemon and puts harmless files in their
/// place: a job (or a native library it loads) that prints to stdout then writes to stderr, where the daemon logs
/// it, instead of corrupting the channel; a job that reads stdin reads nothing. The channel's copies are
/// close-on-exec, so processes a job starts do not hold the daemon's pipes open after the worker is gone.
/// </summary>
internal static partial class StandardStreams
{
    private const int FDupFdCloexec = 1030; // F_DUPFD_CLOEXEC, linux/fcntl.h

    public static (Stream Input, Stream Output) TakeForChannel()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (Console.OpenStandardInput(), Console.OpenStandardOutput());
        }

        var input = Check(DupCloexec(0, FDupFdCloexec, 3), "duplicate stdin");
        var output = Check(DupCloexec(1, FDupFdCloexec, 3), "duplicate stdout");
        Check(Dup2(2, 1), "point stdout at stderr");
        var devNull = Check(Open("/dev/null", 0), "open /dev/null");
        Check(Dup2(devNull, 0), "point stdin at /dev/null");
        Close(devNull);
        return (new FileStream(new SafeFileHandle(input, ownsHandle: true), FileAccess.Read, 0),
            new FileStream(new SafeFileHandle(output, ownsHandle: true), FileAccess.Write, 0));
    }

    private static int Check(int result, string what) =>
        result >= 0 ? result : throw new IOException($"The worker could not {what} (errno {Marshal.GetLastPInvokeError()})");

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int DupCloexec(int fd, int command, int lowest);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int from, int to);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
