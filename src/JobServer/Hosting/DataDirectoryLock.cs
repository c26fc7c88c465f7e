using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Win32.SafeHandles;

namespace JobServer.Hosting;

/// <summary>
/// The exclusive lock of a data directory: <c>flock(LOCK_EX)</c> on <c>&lt;data-dir&gt;/jobserver.lock</c>, which
/// holds the owner's pid and command line. Taken before anything else touches the directory (migrations, root
/// seeding, job recovery), released when the daemon is disposed and by the kernel when it dies. Issue 12: a second
/// daemon on the same directory ran job recovery (marking the first one's RUNNING jobs FAILED) before failing to
/// bind its port, and on a free port both handed out the same job ids. flock, not fcntl: fcntl locks belong to the
/// process, so a second daemon in the same process (tests) would not be refused, and closing any descriptor of the
/// file would drop the lock.
/// </summary>
internal sealed partial class DataDirectoryLock : IDisposable
{
    public const string FileName = "jobserver.lock";

    private const int LockExclusive = 2; // LOCK_EX, sys/file.h
    private const int LockNonBlocking = 4; // LOCK_NB
    private const int OpenReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC (Linux)

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <summary>Locks <paramref name="dataDir"/> (which exists) or throws <see cref="DataDirectoryInUseException"/>.</summary>
    public static DataDirectoryLock Acquire(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        FileStream file;
        try
        {
            // FileShare.None is .NET's own flock(LOCK_EX | LOCK_NB) on Unix; the explicit flock below keeps the lock
            // even where that is switched off (DOTNET_SYSTEM_IO_DISABLEFILELOCKING).
            file = new FileStream(path, LockFileOptions());
        }
        catch (IOException e)
        {
            throw InUse(dataDir, path, e);
        }

        if (!OperatingSystem.IsWindows() && !TryFlock(file.SafeFileHandle))
        {
            file.Dispose();
            throw InUse(dataDir, path, null);
        }

        var owner = new UTF8Encoding(false).GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessId}\n{Redact(string.Join(' ', Environment.GetCommandLineArgs()))}\n"));
        file.SetLength(0);
        file.Write(owner);
        file.Flush(flushToDisk: true);
        return new DataDirectoryLock(file);
    }

    public void Dispose() => _file.Dispose();

    private static FileStreamOptions LockFileOptions()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFileModes.File;
        }

        return options;
    }

    private static DataDirectoryInUseException InUse(string dataDir, string path, Exception? cause)
    {
        var (pid, commandLine) = ReadOwner(path);
        var who = pid is null
            ? "another process"
            : string.Create(CultureInfo.InvariantCulture, $"process {pid} ({LiveCommandLine(pid.Value) ?? commandLine})");
        var message = $"The data directory {dataDir} is in use by {who}: it holds {path}. Stop that daemon first, " +
                      "or give this one another --data-dir.";
        return cause is null ? new DataDirectoryInUseException(message) : new DataDirectoryInUseException(message, cause);
    }

    /// <summary>
    /// The pid and command line the holder wrote. Read through a raw descriptor: a .NET FileStream would try to
    /// take a shared flock on open and fail against the holder's exclusive one.
    /// </summary>
    private static (int? Pid, string CommandLine) ReadOwner(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return (null, "");
        }

        var fd = OpenRaw(path, OpenReadOnlyCloseOnExec);
        if (fd < 0)
        {
            return (null, "");
        }

        using var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, 1);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var pidLine = reader.ReadLine();
        var commandLine = reader.ReadLine() ?? "";
        return int.TryParse(pidLine, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? (pid, commandLine)
            : (null, commandLine);
    }

    /// <summary>The holder's command line as the kernel shows it now, when readable (redacted as written).</summary>
    private static string? LiveCommandLine(int pid)
    {
        try
        {
            var raw = File.ReadAllText($"/proc/{pid}/cmdline");
            return raw.Length == 0 ? null : Redact(raw.TrimEnd('\0').Replace('\0', ' '));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A command line may carry a secret (<c>--JOBSERVER_ROOT_PASSWORD=…</c>); the message must not.</summary>
    private static string Redact(string commandLine) => SecretArgument().Replace(commandLine, "$1=***");

    private static bool TryFlock(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Flock((int)handle.DangerousGetHandle(), LockExclusive | LockNonBlocking) == 0;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [GeneratedRegex(@"(\S*(?:PASSWORD|SECRET|TOKEN|KEY)[^\s=]*)=\S*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretArgument();

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenRaw(string path, int flags);
}
