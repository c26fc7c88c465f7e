using System.Diagnostics;
using System.Text.Json;
using JobServer.IntegrationTests.Support;
using JobServer.Probes;

namespace JobServer.IntegrationTests.Cluster;

/// <summary>
/// What each node caches of the shared configuration follows a change made on another node (issue 18): the
/// <c>system.general</c> settings, and API keys (a key revoked on one node is refused on the others at once, not
/// after their cache's lifetime).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterConfigTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [PostgresOnlyFact]
    public async Task SettingsUpdatedOnA_AppliedOnB()
    {
        await using var cluster = new ClusterOfDaemons();
        var a = await cluster.StartAsync("node-a");
        var b = await cluster.StartAsync("node-b");
        await using var onA = await a.ConnectAsRootAsync();
        await using var onB = await b.ConnectAsRootAsync();
        var before = (await onB.CallResultAsync("system.general.config")).GetProperty("job_retention_count").GetInt32();

        await onA.CallResultAsync("system.general.update", new { job_retention_count = before + 7 });

        // B answers config() from what it applied, not from the table: only the relay can change its answer.
        var applied = await UntilAsync(async () =>
            (await onB.CallResultAsync("system.general.config")).GetProperty("job_retention_count").GetInt32(),
            count => count == before + 7);
        applied.Should().Be(before + 7);
    }

    [PostgresOnlyFact]
    public async Task ApiKeyRevokedOnA_RefusedOnBAtOnce_AndItsSessionOnBEnds()
    {
        await using var cluster = new ClusterOfDaemons();
        // A cache far longer than the test: without the relay, node B would accept the revoked key for an hour.
        string[] longCache = ["--JobServer:Auth:ApiKeyCacheSeconds=3600"];
        var a = await cluster.StartAsync("node-a", longCache);
        var b = await cluster.StartAsync("node-b", longCache);
        await using var onA = await a.ConnectAsRootAsync();
        var created = await onA.CallResultAsync("api_key.create", new { name = "script", roles = new[] { "READONLY_ADMIN" } });
        var key = created.GetProperty("key").GetString()!;
        await using var scriptOnB = await b.ConnectAsync();
        (await scriptOnB.CallResultAsync("auth.login_with_api_key", key)).GetBoolean().Should().BeTrue();

        await onA.CallResultAsync("api_key.update", created.GetProperty("id").GetInt64(), new { revoked = true });

        var refused = await UntilAsync(async () =>
        {
            await using var again = await b.ConnectAsync();
            return (await again.CallAsync("auth.login_with_api_key", key)).Clone();
        }, answer => !answer.TryGetProperty("result", out var ok) || !ok.GetBoolean());
        refused.TryGetProperty("result", out var signedIn).Should().BeTrue();
        signedIn.GetBoolean().Should().BeFalse();
        (await scriptOnB.CallAsync("user.query")).TryGetProperty("error", out _).Should().BeTrue(
            "the session the key signed in on node B ended with it");
    }

    /// <summary>Asks again until the answer is the expected one (the change travels asynchronously), within 30 s.</summary>
    private static async Task<T> UntilAsync<T>(Func<Task<T>> ask, Func<T, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var answer = await ask();
            if (done(answer) || clock.Elapsed > Bound)
            {
                return answer;
            }

            await Task.Delay(100);
        }
    }
}
