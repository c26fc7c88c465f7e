using System.Text.Json;
using JobServer.IntegrationTests.Support;
using JobServer.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.IntegrationTests.Jobs;

/// <summary>
/// Methods that act on their connection (core.subscribe, core.set_options, auth.login*, auth.logout) have none
/// inside core.bulk: each item fails with ENOTSUP before it runs, the bulk job succeeds, and the connection that
/// started the bulk is left as it was. Issue 13: core.bulk("core.subscribe", …) ended FAILED with an
/// InvalidCastException.
/// </summary>
public sealed class BulkLiveSessionTests(JobsDaemon fixture) : IClassFixture<JobsDaemon>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Bulk_Subscribe_SucceedsWithAnItemErrorNamingTheLiveSession()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var bulk = (await client.CallResultAsync("core.bulk", "core.subscribe",
            new object[] { new[] { "core.get_jobs" } })).GetInt64();
        var entries = await client.CallResultAsync("core.job_wait", bulk);

        (await StateOfAsync(client, bulk)).Should().Be("SUCCESS");
        entries.GetArrayLength().Should().Be(1);
        entries[0].GetProperty("result").ValueKind.Should().Be(JsonValueKind.Null);
        entries[0].GetProperty("error").GetString().Should().Be(
            "[ENOTSUP] core.subscribe needs a live connection (a WebSocket session); it cannot be called from " +
            "core.bulk, a job or over HTTP");
        Daemon.Services.GetRequiredService<SessionRegistry>().TryGet(client.SessionId!, out var session).Should().BeTrue();
        session.Subscriptions.Should().BeEmpty("the refused subscribe must not have subscribed anything");
    }

    [Fact]
    public async Task Bulk_Logout_LeavesTheCallingSessionSignedIn()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var bulk = (await client.CallResultAsync("core.bulk", "auth.logout", new object[] { Array.Empty<object>() }))
            .GetInt64();
        var entries = await client.CallResultAsync("core.job_wait", bulk);

        entries[0].GetProperty("error").GetString().Should().StartWith("[ENOTSUP] auth.logout needs a live connection");
        (await client.CallResultAsync("auth.me")).GetProperty("pw_name").GetString().Should().Be("root");
    }

    [Fact]
    public async Task Bulk_MixedItems_EachFailureIsItsOwnEntry()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var bulk = (await client.CallResultAsync("core.bulk", "core.set_options",
            new object[] { new object[] { new { legacy_jobs = false } }, new object[] { 1, 2, 3 } })).GetInt64();
        var entries = await client.CallResultAsync("core.job_wait", bulk);

        (await StateOfAsync(client, bulk)).Should().Be("SUCCESS");
        entries.EnumerateArray().Select(e => e.GetProperty("error").GetString()).Should()
            .AllSatisfy(error => error.Should().StartWith("[ENOTSUP] core.set_options needs a live connection"));
    }

    [Fact]
    public async Task Bulk_CrashingJob_IsItsEntrysErrorWithItsJobId()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var bulk = (await client.CallResultAsync("core.bulk", "testjobs.crash",
            new object[] { Array.Empty<object>(), Array.Empty<object>() })).GetInt64();
        var entries = await client.CallResultAsync("core.job_wait", bulk);

        (await StateOfAsync(client, bulk)).Should().Be("SUCCESS");
        foreach (var entry in entries.EnumerateArray())
        {
            entry.GetProperty("error").GetString().Should().Contain("boom");
            var job = entry.GetProperty("job_id").GetInt64();
            (await StateOfAsync(client, job)).Should().Be("FAILED");
        }
    }

    [Fact]
    public async Task Bulk_GenerateToken_NeedsAnAddressOnlyToMatchTheOrigin()
    {
        // auth.generate_token needs the caller, not the connection: it works from core.bulk, but a token bound to
        // the caller's address cannot be made where there is no address.
        await using var client = await Daemon.ConnectAsRootAsync();

        var bulk = (await client.CallResultAsync("core.bulk", "auth.generate_token",
            new object[] { Array.Empty<object>(), new object[] { 600, new { }, false } })).GetInt64();
        var entries = await client.CallResultAsync("core.job_wait", bulk);

        entries[0].GetProperty("error").GetString().Should().StartWith("[ENOTSUP] match_origin needs the caller's address");
        entries[1].GetProperty("error").ValueKind.Should().Be(JsonValueKind.Null);
        entries[1].GetProperty("result").GetString().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task Subscribe_OverDdpAsAMethod_StillDeliversEvents()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        (await client.CallResultAsync("core.subscribe", "core.get_jobs")).GetString().Should().NotBeNullOrEmpty();
        var job = (await client.CallResultAsync("testjobs.echo", "live")).GetInt64();

        var added = await client.ReceiveAsync(m => m.Msg() == "added" &&
                                                   m.GetProperty("collection").GetString() == "core.get_jobs" &&
                                                   m.GetProperty("id").GetInt64() == job);
        added.GetProperty("fields").GetProperty("method").GetString().Should().Be("testjobs.echo");
    }

    private static async Task<string?> StateOfAsync(DdpClient client, long id) =>
        (await client.CallResultAsync("core.get_jobs", new object[] { new object[] { "id", "=", id } },
            new { get = true })).GetProperty("state").GetString();
}
