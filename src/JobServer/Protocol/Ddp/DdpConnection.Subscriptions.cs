using System.Text.Json;
using JobServer.Sdk.Errors;

namespace JobServer.Protocol.Ddp;

internal sealed partial class DdpConnection
{
    private async Task SubscribeAsync(JsonElement root)
    {
        if (!root.TryGetProperty("id", out var idProperty) || idProperty.ValueKind != JsonValueKind.String ||
            !root.TryGetProperty("name", out var nameProperty) || nameProperty.ValueKind != JsonValueKind.String)
        {
            await _pipe.SendAsync(DdpMessages.ProtocolError("Malformed subscription", root.Clone()), _closing.Token);
            return;
        }

        var id = idProperty.GetString()!;
        var name = nameProperty.GetString()!;
        if (name != Events.EventHub.Wildcard)
        {
            if (!_events.TryGetEvent(name, out var descriptor))
            {
                // Meteor's answer for an unknown subscription name.
                var notFound = new ErrorInfo(404, "ENOENT", null, $"Subscription '{name}' not found", null, null);
                await _pipe.SendAsync(DdpMessages.NoSub(id, null, notFound), _closing.Token);
                return;
            }

            if (!descriptor.CanSubscribe(Session))
            {
                // middlewared answers a refused subscription as a failed call with the sub's id (reference §1.6).
                var refused = ErrorMapper.Call("Not authorized", Errno.EACCES);
                await _pipe.SendAsync(DdpMessages.Error(id, refused), _closing.Token);
                await _pipe.SendAsync(DdpMessages.NoSub(id, name, refused), _closing.Token);
                return;
            }
        }
        else if (!Session.IsAuthenticated)
        {
            var refused = ErrorMapper.Call("Not authorized", Errno.EACCES);
            await _pipe.SendAsync(DdpMessages.Error(id, refused), _closing.Token);
            await _pipe.SendAsync(DdpMessages.NoSub(id, name, refused), _closing.Token);
            return;
        }

        _events.Subscribe(Session, id, name);
        await _pipe.SendAsync(DdpMessages.Ready(id), _closing.Token);
    }
}
