using System.Net;
using System.Net.Sockets;

namespace JobServer.Bench.Infrastructure;

internal static class FreePort
{
    /// <summary>A loopback port free right now (the OS picks it); a server started next can bind it.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
