using Microsoft.AspNetCore.Http.Features;

namespace JobServer.Protocol.WebSockets;

/// <summary>
/// Kestrel's HTTP/1.1 upgrade, wrapped so the WebSocket it becomes writes through a
/// <see cref="FrameBatchingStream"/>. Set on the request before the WebSocket middleware reads the feature, so
/// ASP.NET Core's own handshake (keys, sub-protocols, keep-alive) stays in charge. WebSockets over HTTP/2 take
/// another path (extended CONNECT) and are sent frame by frame, as before.
/// </summary>
internal sealed class FrameBatchingUpgrade(IHttpUpgradeFeature upgrade) : IHttpUpgradeFeature
{
    /// <summary>At most this much is held back: a large frame (a big query result) is sent on its own.</summary>
    private const int MaxHeldBytes = 64 * 1024;

    private FrameBatchingStream? _stream;

    public bool IsUpgradableRequest => upgrade.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        _stream = new FrameBatchingStream(await upgrade.UpgradeAsync(), MaxHeldBytes);
        return _stream;
    }

    /// <summary>The batching stream under the WebSocket accepted on this request, if it was an HTTP/1.1 upgrade.</summary>
    public static FrameBatchingStream? Of(HttpContext context) =>
        (context.Features.Get<IHttpUpgradeFeature>() as FrameBatchingUpgrade)?._stream;

    /// <summary>Wraps every upgradable request's upgrade; goes before <c>UseWebSockets</c>.</summary>
    public static void Install(IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new FrameBatchingUpgrade(upgrade));
        }

        return next(context);
    });
}
