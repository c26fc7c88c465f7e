using System.Text.Json;
using JobServer.Client.Tests.Support;

namespace JobServer.Client.Tests;

public sealed class ReconnectTests
{
    [Theory]
    [InlineData(JobServerDialect.JsonRpc)]
    [InlineData(JobServerDialect.Ddp)]
    public async Task DaemonRestarts_ClientSignsInAgainAndSubscriptionResumes(JobServerDialect dialect)
    {
        await using var daemon = await ClientDaemon.StartAsync();
        await using var client = await daemon.ConnectAsRootAsync(dialect);
        await using var jobs = await client.SubscribeAsync("core.get_jobs");
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Reconnected += (_, _) => reconnected.TrySetResult();

        await daemon.RestartAsync();
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // Signed in again: a call that needs root works on the new connection.
        (await client.CallAsync<JsonElement>("auth.me")).GetProperty("pw_name").GetString().Should().Be("root");
        // Subscribed again: a job started by someone else after the restart reaches the old subscription.
        await using var other = await daemon.ConnectAsRootAsync();
        var marker = $"after-restart-{Guid.NewGuid():N}";
        await other.CallJobAsync<JsonElement>("testjobs.echo", [marker]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var e in jobs.WithCancellation(timeout.Token))
        {
            if (e.Fields is { } job && job.GetProperty("arguments").GetRawText().Contains(marker, StringComparison.Ordinal))
            {
                e.Collection.Should().Be("core.get_jobs");
                return;
            }
        }
    }

    [Fact]
    public async Task ConnectionLostDuringCall_CallFailsAsConnectionError()
    {
        await using var daemon = await ClientDaemon.StartAsync();
        await using var client = await JobServerClient.ConnectAsync(daemon.Options() with
        {
            Credentials = JobServerCredentials.Password("root", ProbeCredentials.RootPassword),
            AutoReconnect = false,
        });
        await client.CallAsync("core.set_options", [new { legacy_jobs = false }]);
        var call = client.CallAsync<JsonElement>("testjobs.gate", [$"never-{Guid.NewGuid():N}"]);

        await daemon.Process.CrashAsync();

        await FluentActions.Awaiting(() => call).Should().ThrowAsync<JobServerConnectionException>();
        await FluentActions.Awaiting(() => client.CallAsync("core.ping")).Should().ThrowAsync<JobServerConnectionException>();
    }
}
