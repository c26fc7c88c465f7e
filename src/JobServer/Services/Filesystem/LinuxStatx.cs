using System.Runtime.InteropServices;

namespace JobServer.Services.Filesystem;

/// <summary>
/// <c>statx(2)</c>, for what .NET does not expose (owner, group, the file type of fifos and sockets). statx, unlike
/// <c>stat</c>, has one structure layout on every Linux architecture, so it is read from a byte buffer at fixed
/// offsets (in the machine's byte order) and no per-architecture struct is needed.
/// </summary>
internal static partial class LinuxStatx
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint BasicStats = 0x7ff;
    private const int BufferSize = 256;

    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>The raw fields of one entry, without following a final link.</summary>
    public sealed record Result(int Mode, long Uid, long Gid, long Size,
        DateTimeOffset Atime, DateTimeOffset Ctime, DateTimeOffset Mtime);

    /// <summary>lstat of <paramref name="path"/>; null when statx is unavailable or the call fails.</summary>
    public static Result? TryLstat(string path)
    {
        if (_unavailable)
        {
            return null;
        }

        var buffer = new byte[BufferSize];
        try
        {
            if (Statx(AtFdCwd, path, AtSymlinkNoFollow, BasicStats, buffer) != 0)
            {
                return null;
            }
        }
        catch (EntryPointNotFoundException)
        {
            // A C library older than glibc 2.28: fall back to what .NET offers.
            _unavailable = true;
            return null;
        }
        catch (DllNotFoundException)
        {
            _unavailable = true;
            return null;
        }

        ReadOnlySpan<byte> b = buffer;
        return new Result(
            Mode: MemoryMarshal.Read<ushort>(b[28..]),
            Uid: MemoryMarshal.Read<uint>(b[20..]),
            Gid: MemoryMarshal.Read<uint>(b[24..]),
            Size: (long)MemoryMarshal.Read<ulong>(b[40..]),
            Atime: Timestamp(b[64..]),
            Ctime: Timestamp(b[96..]),
            Mtime: Timestamp(b[112..]));
    }

    private static DateTimeOffset Timestamp(ReadOnlySpan<byte> field)
    {
        var seconds = MemoryMarshal.Read<long>(field);
        var nanoseconds = MemoryMarshal.Read<uint>(field[8..]);
        return DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanoseconds / 100);
    }

    // DllImport rather than LibraryImport: the source-generated stub needs unsafe code enabled for the whole
    // daemon, and a blittable byte[] plus one UTF-8 string marshal fine the classic way.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags,
        uint mask, [Out] byte[] buffer);
#pragma warning restore SYSLIB1054
}
