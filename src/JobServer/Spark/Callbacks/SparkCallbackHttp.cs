using System.Net.Sockets;
using System.Text;

namespace JobServer.Spark.Callbacks;

/// <summary>
/// The HTTP client of callbacks: no redirects (a redirect could lead past the guard), no cookies, and a connect
/// step that resolves the host itself and connects only to an address <see cref="SparkCallbackGuard"/> accepts,
/// so DNS cannot swap a checked name for an internal address between submit and send.
/// </summary>
internal sealed class SparkCallbackHttp : IDisposable
{
    private readonly HttpClient _client;

    public SparkCallbackHttp(SparkCallbackGuard guard)
    {
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = async (context, token) =>
            {
                var host = context.DnsEndPoint.Host;
                if (guard.HostRefusal(host) is { } refused)
                {
                    throw new HttpRequestException(refused);
                }

                foreach (var address in await SparkCallbackGuard.ResolveAsync(host, token))
                {
                    if (guard.AddressRefusal(host, address, context.DnsEndPoint.Port) is null)
                    {
                        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                        try
                        {
                            await socket.ConnectAsync(address, context.DnsEndPoint.Port, token);
                            return new NetworkStream(socket, ownsSocket: true);
                        }
                        catch
                        {
                            socket.Dispose();
                            throw;
                        }
                    }
                }

                throw new HttpRequestException($"callback host {host} resolves to no permitted address");
            },
        })
        { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>POSTs the JSON body; null when the receiver answered 2xx/3xx, else why not (status or transport).</summary>
    public async Task<string?> PostAsync(string url, string body, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await _client.PostAsync(new Uri(url), content, cancellationToken);
            return (int)response.StatusCode >= 400 ? $"HTTP {(int)response.StatusCode}" : null;
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
    }

    public void Dispose() => _client.Dispose();
}
