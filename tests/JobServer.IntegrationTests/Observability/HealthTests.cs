using System.Net;
using System.Text.Json;
using JobServer.IntegrationTests.Support;
using Microsoft.Data.Sqlite;

namespace JobServer.IntegrationTests.Observability;

/// <summary>Issue 17 (operators): <c>/healthz</c> and <c>/readyz</c>, anonymous, with no secrets in the body.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task HealthzAndReadyz_AfterStart_AnswerHealthyToAnAnonymousClient()
    {
        await using var daemon = await Daemon.StartAsync();
        using var http = new HttpClient { BaseAddress = daemon.BaseUri };

        var (liveStatus, live) = await GetAsync(http, "/healthz");
        var (readyStatus, ready) = await GetAsync(http, "/readyz");

        liveStatus.Should().Be(HttpStatusCode.OK);
        live.GetProperty("status").GetString().Should().Be("Healthy");
        readyStatus.Should().Be(HttpStatusCode.OK);
        ready.GetProperty("status").GetString().Should().Be("Healthy");
        ready.GetProperty("checks").EnumerateObject().Select(c => c.Name).Should()
            .BeEquivalentTo(["stopping", "migrations", "database", "job_writer"]);
        ready.GetRawText().Should().NotContain(daemon.DataDir, "the body is anonymous: no paths");
    }

    [SqliteOnlyFact("holds the SQLite file's write lock from another process")]
    public async Task Readyz_WhileAnotherProcessHoldsTheWriteLock_IsNotReady_AndReadyAgainOnceReleased()
    {
        await using var daemon = await Daemon.StartAsync([
            "--JobServer:Health:WriterTimeoutSeconds=1", "--JobServer:Health:ReuseMilliseconds=0"]);
        using var http = new HttpClient { BaseAddress = daemon.BaseUri };
        await using var other = new SqliteConnection($"Data Source={Path.Combine(daemon.DataDir, "jobserver.db")}");
        await other.OpenAsync();
        await using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            await begin.ExecuteNonQueryAsync();
        }

        var (lockedStatus, locked) = await GetAsync(http, "/readyz");
        var (liveStatus, _) = await GetAsync(http, "/healthz");
        await using (var rollback = other.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }

        lockedStatus.Should().Be(HttpStatusCode.ServiceUnavailable);
        locked.GetProperty("status").GetString().Should().Be("Unhealthy");
        var checks = locked.GetProperty("checks");
        checks.GetProperty("database").GetProperty("status").GetString().Should().Be("Unhealthy");
        checks.GetProperty("job_writer").GetProperty("status").GetString().Should().Be("Unhealthy");
        checks.GetProperty("migrations").GetProperty("status").GetString().Should().Be("Healthy");
        liveStatus.Should().Be(HttpStatusCode.OK, "a busy database does not make the process dead");
        (await ReadyAgainAsync(http)).Should().BeTrue("the writer's retries commit once the lock is gone");
    }

    /// <summary>Asks until ready (the writer may still be backing off from the lock), at most 30 s.</summary>
    private static async Task<bool> ReadyAgainAsync(HttpClient http)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!timeout.IsCancellationRequested)
        {
            using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative), CancellationToken.None);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        response.Headers.CacheControl?.NoStore.Should().BeTrue();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.Clone());
    }
}
