using System.Text.Json;
using JobServer.Calls;
using JobServer.Events;
using JobServer.Sdk.Errors;

namespace JobServer.Protocol.Ddp;

internal sealed partial class DdpConnection
{
    private async Task SubscribeAsync(JsonElement root)
    {
        if (!root.TryGetProperty("id", out var idProperty) || idProperty.ValueKind != JsonValueKind.String ||
            !root.TryGetProperty("name", out var nameProperty) || nameProperty.ValueKind != JsonValueKind.String)
        {
            await SendAsync(DdpMessages.ProtocolError("Malformed subscription", root.Clone()));
            return;
        }

        var id = idProperty.GetString()!;
        var name = nameProperty.GetString()!;
        switch (_events.Check(Session.Caller, name))
        {
            case SubscriptionCheck.UnknownCollection:
                // Meteor's answer for an unknown subscription name.
                var notFound = new ErrorInfo(404, "ENOENT", null, $"Subscription '{name}' not found", null, null);
                await SendAsync(DdpMessages.NoSub(id, null, notFound));
                return;
            case SubscriptionCheck.NotAuthorized:
                // middlewared answers a refused subscription as a failed call with the sub's id (reference §1.6).
                var refused = ErrorMapper.Call("Not authorized", Errno.EACCES);
                await SendAsync(DdpMessages.Error(id, refused));
                await SendAsync(DdpMessages.NoSub(id, name, refused));
                return;
            default:
                _events.Subscribe(Session, id, name);
                await SendAsync(DdpMessages.Ready(id));
                return;
        }
    }
}
