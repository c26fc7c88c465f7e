using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Events;
using JobServer.IntegrationTests.Support;
using JobServer.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.IntegrationTests.JsonRpc;

public sealed class SubscriptionTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    private EventHub Events => Daemon.Services.GetRequiredService<EventHub>();

    [Fact]
    public async Task Subscribe_Anonymous_Is207AndNothingElse()
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();
        var collection = RegisterCollection();

        var error = await client.CallErrorAsync("core.subscribe", collection);

        error.GetProperty("code").GetInt32().Should().Be(-32001);
        error.GetProperty("data").GetProperty("error").GetInt32().Should().Be(207);
        error.GetProperty("data").GetProperty("errname").GetString().Should().Be("ENOTAUTHENTICATED");
        (await client.CallResultAsync("core.ping")).GetString().Should().Be("pong");
        client.Unmatched.Should().BeEmpty("a refused subscription sends no notify_unsubscribed");
    }

    [Fact]
    public async Task Subscribe_NotAllowed_IsEacces()
    {
        await using var client = await Daemon.ConnectJsonRpcAsRootAsync();
        var collection = RegisterCollection(canSubscribe: false);

        var error = await client.CallErrorAsync("core.subscribe", collection);

        error.GetProperty("code").GetInt32().Should().Be(-32001);
        error.GetProperty("data").GetProperty("error").GetInt32().Should().Be(13);
        error.GetProperty("data").GetProperty("reason").GetString().Should().Be("[EACCES] Not authorized");
    }

    [Fact]
    public async Task Subscribe_UnknownCollection_IsEnoent()
    {
        await using var client = await Daemon.ConnectJsonRpcAsRootAsync();

        var error = await client.CallErrorAsync("core.subscribe", "no.such");

        error.GetProperty("code").GetInt32().Should().Be(-32001);
        error.GetProperty("data").GetProperty("error").GetInt32().Should().Be(2);
        error.GetProperty("data").GetProperty("reason").GetString().Should().Be("[ENOENT] Event 'no.such' does not exist");
    }

    [Fact]
    public async Task Subscribe_ReceivesCollectionUpdates()
    {
        await using var client = await Daemon.ConnectJsonRpcAsRootAsync();
        var collection = RegisterCollection();

        var subscription = await client.CallResultAsync("core.subscribe", collection);
        Guid.TryParse(subscription.GetString(), out _).Should().BeTrue();
        Events.Publish(collection, EventKind.Added, 5, new JsonObject { ["id"] = 5, ["name"] = "five" });
        Events.Publish(collection, EventKind.Removed, 5, new JsonObject { ["id"] = 5 });

        var added = await client.NotificationAsync("collection_update", p => p.GetProperty("msg").GetString() == "added");
        added.GetProperty("jsonrpc").GetString().Should().Be("2.0");
        added.TryGetProperty("id", out _).Should().BeFalse("a server notification has no id");
        var update = added.GetProperty("params");
        update.GetProperty("collection").GetString().Should().Be(collection);
        update.GetProperty("id").GetInt32().Should().Be(5);
        update.GetProperty("fields").GetProperty("name").GetString().Should().Be("five");
        var removed = (await client.NotificationAsync("collection_update",
            p => p.GetProperty("msg").GetString() == "removed")).GetProperty("params");
        removed.GetProperty("id").GetInt32().Should().Be(5);
        removed.TryGetProperty("fields", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Subscribe_Wildcard_ReceivesEveryCollection()
    {
        await using var client = await Daemon.ConnectJsonRpcAsRootAsync();
        var collection = RegisterCollection();

        await client.CallResultAsync("core.subscribe", "*");
        Events.Publish(collection, EventKind.Changed, 1, new JsonObject { ["id"] = 1 });

        var changed = await client.NotificationAsync("collection_update", p => p.GetProperty("collection").GetString() == collection);
        changed.GetProperty("params").GetProperty("msg").GetString().Should().Be("changed");
    }

    [Fact]
    public async Task Unsubscribe_StopsTheEvents()
    {
        await using var client = await Daemon.ConnectJsonRpcAsRootAsync();
        var dropped = RegisterCollection();
        var kept = RegisterCollection();
        var subscription = (await client.CallResultAsync("core.subscribe", dropped)).GetString();
        await client.CallResultAsync("core.subscribe", kept);

        (await client.CallAsync("core.unsubscribe", subscription)).GetProperty("result").ValueKind
            .Should().Be(JsonValueKind.Null);
        Events.Publish(dropped, EventKind.Added, 1, new JsonObject { ["id"] = 1 });
        Events.Publish(kept, EventKind.Added, 2, new JsonObject { ["id"] = 2 });

        // Events reach a connection in the order they were published: once the second is here, the first would be.
        await client.NotificationAsync("collection_update", p => p.GetProperty("collection").GetString() == kept);
        client.Unmatched.Should().BeEmpty();
    }

    [Fact]
    public async Task SameCollection_DdpAndJsonRpcClients_BothReceiveTheEvent()
    {
        await using var ddp = await Daemon.ConnectAsRootAsync();
        await using var jsonRpc = await Daemon.ConnectJsonRpcAsRootAsync();
        var collection = RegisterCollection();
        await ddp.SendAsync(new { msg = "sub", id = "s1", name = collection });
        await ddp.ReceiveAsync(m => m.Msg() == "ready");
        await jsonRpc.CallResultAsync("core.subscribe", collection);

        Events.Publish(collection, EventKind.Added, 9, new JsonObject { ["id"] = 9, ["name"] = "nine" });

        var viaDdp = await ddp.ReceiveAsync(m => m.Msg() == "added");
        var viaJsonRpc = (await jsonRpc.NotificationAsync("collection_update")).GetProperty("params");
        viaDdp.GetProperty("collection").GetString().Should().Be(collection);
        viaJsonRpc.GetProperty("collection").GetString().Should().Be(collection);
        viaDdp.GetProperty("fields").GetRawText().Should().Be(viaJsonRpc.GetProperty("fields").GetRawText());
        viaDdp.GetProperty("id").GetInt32().Should().Be(9);
        viaJsonRpc.GetProperty("id").GetInt32().Should().Be(9);
    }

    [Fact]
    public async Task CoreSubscribe_OnDdp_DeliversDdpEvents()
    {
        await using var ddp = await Daemon.ConnectAsRootAsync();
        var collection = RegisterCollection();

        var subscription = (await ddp.CallResultAsync("core.subscribe", collection)).GetString();
        Events.Publish(collection, EventKind.Added, 3, new JsonObject { ["id"] = 3 });
        var added = await ddp.ReceiveAsync(m => m.Msg() == "added");
        await ddp.CallResultAsync("core.unsubscribe", subscription);

        added.GetProperty("collection").GetString().Should().Be(collection);
    }

    /// <summary>A collection of its own for each test, so tests sharing the daemon do not see each other's events.</summary>
    private string RegisterCollection(bool canSubscribe = true)
    {
        var name = $"test{Guid.NewGuid():N}.query";
        Events.Register(new EventDescriptor(name, "Test collection", _ => canSubscribe));
        return name;
    }
}
