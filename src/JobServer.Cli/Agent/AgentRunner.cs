using System.Text.Json;
using JobServer.Client;
using Polly;
using Polly.Retry;

namespace JobServer.Cli.Agent;

/// <summary>
/// <c>jobctl agent</c>'s loop: connect, sign in with the key, listen for tasks, register the destination, then
/// perform the tasks as they come, one at a time, until the connection drops — then again, backing off (Polly)
/// from 200 ms to 5 s while the daemon cannot be reached or still knows the previous connection (EBUSY). The
/// back-off starts over after each successful registration. A refused sign-in or registration ends the agent.
/// </summary>
internal sealed class AgentRunner(JobServerClientOptions connection, AgentSettings settings, AgentMemory memory, AgentDevice device)
{
    private readonly ResiliencePipeline _reconnect = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder()
                .Handle<JobServerConnectionException>(e => !e.SignInRefused)
                .Handle<TimeoutException>()
                .Handle<JobServerCallException>(e => e.Errno == 16),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(5),
            OnRetry = args =>
            {
                AgentLog.RetryIn(args.RetryDelay, args.Outcome.Exception?.Message ?? "unknown");
                return default;
            },
        })
        .Build();

    /// <summary>Runs until cancelled; throws what ends the agent (a refused sign-in or registration).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var (client, tasks) = await _reconnect.ExecuteAsync(RegisterAsync, cancellationToken);
            await using (client)
            {
                try
                {
                    await ServeAsync(client, tasks, cancellationToken);
                }
                catch (Exception e) when (e is JobServerConnectionException or TimeoutException && !cancellationToken.IsCancellationRequested)
                {
                    AgentLog.Disconnected(e.Message);
                }
            }
        }
    }

    private async ValueTask<(JobServerClient, JobServerSubscription)> RegisterAsync(CancellationToken cancellationToken)
    {
        var client = await JobServerClient.ConnectAsync(connection, cancellationToken);
        try
        {
            // Listen first: the daemon pushes the first task as soon as the registration is in.
            var tasks = client.Listen(AgentSettings.TaskCollection);
            await client.CallAsync<bool>("batch.agent.register", [settings.Destination], cancellationToken);
            AgentLog.Registered(settings.Destination, connection.Url);
            return (client, tasks);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    private async Task ServeAsync(JobServerClient client, JobServerSubscription tasks, CancellationToken cancellationToken)
    {
        await foreach (var pushed in tasks.WithCancellation(cancellationToken))
        {
            if (pushed.Fields is { } task)
            {
                await HandleAsync(client, task, cancellationToken);
            }
        }

        // The listener ended without an error only when the client was disposed.
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Answers one task: from memory when it was performed before, else by performing it once.</summary>
    private async Task HandleAsync(JobServerClient client, JsonElement task, CancellationToken cancellationToken)
    {
        var id = task.GetProperty("id").GetInt64();
        var method = task.GetProperty("method").GetString()!;
        var resource = task.GetProperty("resource").GetString()!;
        try
        {
            if (memory.TryRecall(id, out var remembered) && remembered is not null)
            {
                await AnswerAsync(client, id, remembered, cancellationToken);
                AgentLog.Performed(id, method, resource, remembered.Status, fromMemory: true);
                return;
            }

            if (!await client.CallAsync<bool>("batch.agent.ack", [id], cancellationToken))
            {
                AgentLog.Skipped(id);
                return;
            }

            AgentAnswer answer;
            if (memory.TryRecall(id, out _))
            {
                answer = AgentAnswer.Gateway(502, "The agent stopped while performing this task; it is not repeated");
            }
            else
            {
                memory.Begin(id);
                // Half-way: the device has begun to answer (its body may still take a while).
                answer = await device.PerformAsync(task, () => ReportProgressAsync(client, id, cancellationToken),
                    cancellationToken);
            }

            memory.Answered(id, answer);
            await AnswerAsync(client, id, answer, cancellationToken);
            AgentLog.Performed(id, method, resource, answer.Status, fromMemory: false);
        }
        catch (JobServerCallException e)
        {
            AgentLog.Refused(id, e.Reason);
        }
    }

    /// <summary>
    /// Progress is advisory: a connection lost here must not cost the device's answer, which is remembered next
    /// and then sent (or, after the reconnect, answered from memory).
    /// </summary>
    private static async Task ReportProgressAsync(JobServerClient client, long id, CancellationToken cancellationToken)
    {
        try
        {
            await client.CallAsync<bool>("batch.agent.progress", [id, 50], cancellationToken);
        }
        catch (Exception e) when (e is JobServerConnectionException or JobServerCallException or TimeoutException)
        {
            // The answer still follows.
        }
    }

    private static Task AnswerAsync(JobServerClient client, long id, AgentAnswer answer, CancellationToken cancellationToken) =>
        client.CallAsync<bool>("batch.agent.result", [id, answer.ToJson()], cancellationToken);
}
