using System.Runtime.InteropServices;

namespace JobServer.Hosting;

/// <summary>
/// The daemon's files are its own: the process umask becomes 0077 at start, so everything it creates (the
/// database and its <c>-wal</c>/<c>-shm</c>, backups, spool files, job logs, the lock) is 0600 and every folder
/// 0700. Issue 12 found <c>jobserver.db</c> and its WAL 0644 in a 0755 folder: account hashes readable by every
/// local user. PostgreSQL does the same at start. Processes the daemon runs (<c>exec.run</c>) inherit it.
/// </summary>
internal static partial class PrivateFileModes
{
    public const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const uint OwnerOnly = 0b000_111_111; // 0077: no bit for group or others

    /// <summary>Sets the process umask to 0077 (once per process; a no-op where there is no umask).</summary>
    public static void Apply()
    {
        if (!OperatingSystem.IsWindows())
        {
            SetUmask(OwnerOnly);
        }
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint SetUmask(uint mask);
}
