using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Accounts;

public sealed class UserEventTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task CreateUpdateDelete_SubscriberSeesAddedChangedRemovedWithoutPassword()
    {
        await using var watcher = await Daemon.ConnectAsRootAsync();
        await watcher.SendAsync(new { msg = "sub", id = "users", name = "user.query" });
        await watcher.ReceiveAsync(m => m.Msg() == "ready");
        await using var admin = await Daemon.ConnectAsRootAsync();

        var id = (await admin.CreateUserAsync("watched", fullName: "Watched")).GetProperty("id").GetInt64();
        var added = await watcher.ReceiveAsync(m => m.Msg() == "added" && IdOf(m) == id);
        await admin.CallResultAsync("user.update", id, new { full_name = "Renamed", password = "other" });
        var changed = await watcher.ReceiveAsync(m => m.Msg() == "changed" && IdOf(m) == id);
        await admin.CallResultAsync("user.delete", id);
        var removed = await watcher.ReceiveAsync(m => m.Msg() == "removed" && IdOf(m) == id);

        added.GetProperty("collection").GetString().Should().Be("user.query");
        added.GetProperty("fields").GetProperty("username").GetString().Should().Be("watched");
        changed.GetProperty("fields").GetProperty("full_name").GetString().Should().Be("Renamed");
        removed.GetProperty("collection").GetString().Should().Be("user.query");
        foreach (var message in new[] { added, changed })
        {
            message.GetProperty("fields").EnumerateObject().Select(p => p.Name).Should()
                .NotContain(name => name.Contains("password"));
            message.GetRawText().Should().NotContain("pbkdf2");
        }
    }

    private static long IdOf(System.Text.Json.JsonElement message) =>
        message.TryGetProperty("id", out var id) && id.ValueKind == System.Text.Json.JsonValueKind.Number
            ? id.GetInt64()
            : -1;
}
