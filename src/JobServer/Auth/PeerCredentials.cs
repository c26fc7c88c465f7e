using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace JobServer.Auth;

/// <summary>
/// Who is at the other end of a Unix-socket connection, as the kernel recorded it when the peer connected
/// (<c>SO_PEERCRED</c>, <c>struct ucred</c>): it cannot be forged by the peer, unlike anything it sends. Set as a
/// connection feature by the Unix socket's door (<see cref="Hosting.UnixSocketEndpoint"/>).
/// </summary>
internal sealed partial record PeerCredentials(int ProcessId, int UserId, int GroupId)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>The daemon's own effective uid.</summary>
    public static int DaemonUserId { get; } = OperatingSystem.IsLinux() ? (int)GetEffectiveUserId() : -1;

    /// <summary>root, or the user the daemon runs as: trusted to act as root (they own its data directory anyway).</summary>
    public bool IsTrusted => UserId == 0 || UserId == DaemonUserId;

    /// <summary>The peer of a connected Unix socket; null elsewhere (another transport, another OS).</summary>
    public static PeerCredentials? Read(Socket socket)
    {
        if (!OperatingSystem.IsLinux() || socket.AddressFamily != AddressFamily.Unix)
        {
            return null;
        }

        Span<byte> ucred = stackalloc byte[12];
        var length = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        if (length < 12)
        {
            return null;
        }

        var fields = MemoryMarshal.Cast<byte, int>(ucred);
        return new PeerCredentials(fields[0], fields[1], fields[2]);
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
