using System.Net.Sockets;

namespace JobServer.Client;

/// <summary>The one HTTP handler of a client: TCP as usual, or every connection to the daemon's Unix socket.</summary>
internal static class SocketHandler
{
    public static SocketsHttpHandler Create(JobServerEndpoint endpoint)
    {
        var handler = new SocketsHttpHandler
        {
            // Transfers stream for as long as they take; the call timeout bounds calls, not file transfers.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        if (endpoint.UnixSocketPath is { } path)
        {
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return handler;
    }
}
