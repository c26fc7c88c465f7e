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

    /// <summary>
    /// Reads the pushed events while a task is performed: an <c>added</c> one is the next task (the daemon sends
    /// one at a time, the next after the previous finished, so the agent first lets the previous one end); a
    /// <c>removed</c> one withdraws the task in flight (canceled or timed out on the daemon), aborting its request.
    /// </summary>
    private async Task ServeAsync(JobServerClient client, JobServerSubscription tasks, CancellationToken cancellationToken)
    {
        AgentTaskInFlight? current = null;
        try
        {
            await foreach (var pushed in tasks.WithCancellation(cancellationToken))
            {
                var id = pushed.Id.GetInt64();
                if (pushed.Kind == "removed")
                {
                    if (current?.Id == id)
                    {
                        current.Withdraw();
                    }
                }
                else if (pushed.Fields is { } task)
                {
                    await EndAsync(current);
                    current = AgentTaskInFlight.Start(id,
                        (inFlight, withdrawn) => HandleAsync(client, task, inFlight, withdrawn, cancellationToken), cancellationToken);
                }
            }

            // The listener ended without an error only when the client was disposed.
            cancellationToken.ThrowIfCancellationRequested();
        }
        finally
        {
            // A task being performed when the connection dropped still ends (its answer is remembered) first.
            await EndAsync(current, rethrow: false);
        }
    }

    private static async Task EndAsync(AgentTaskInFlight? task, bool rethrow = true)
    {
        if (task is null)
        {
            return;
        }

        try
        {
            await task.Completion;
        }
        catch (Exception e) when (!rethrow && e is JobServerConnectionException or TimeoutException or OperationCanceledException)
        {
            // The connection's own error is the one reported.
        }
        finally
        {
            task.Dispose();
        }
    }

    /// <summary>
    /// Answers one task: from memory when it was performed before, else by performing it once. Calls to the
    /// daemon use the agent's token; the device's request uses <paramref name="withdrawn"/>, so a withdrawn task's
    /// request is aborted and not answered (the daemon has finished the task).
    /// </summary>
    private async Task HandleAsync(JobServerClient client, JsonElement task, AgentTaskInFlight inFlight,
        CancellationToken withdrawn, CancellationToken cancellationToken)
    {
        var id = inFlight.Id;
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
                    withdrawn);
            }

            memory.Answered(id, answer);
            if (!await AnswerAsync(client, id, answer, cancellationToken))
            {
                // Withdrawn after the device had answered: the daemon keeps the task as it ended there.
                AgentLog.Dropped(id);
                return;
            }

            AgentLog.Performed(id, method, resource, answer.Status, fromMemory: false);
        }
        catch (OperationCanceledException) when (inFlight.WasWithdrawn && !cancellationToken.IsCancellationRequested)
        {
            memory.Answered(id, AgentAnswer.Gateway(502, "Withdrawn by the daemon; the request was aborted"));
            AgentLog.Withdrawn(id, method, resource);
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

    /// <summary>Sends the answer; false when the daemon dropped it (the task had finished there).</summary>
    private static Task<bool> AnswerAsync(JobServerClient client, long id, AgentAnswer answer, CancellationToken cancellationToken) =>
        client.CallAsync<bool>("batch.agent.result", [id, answer.ToJson()], cancellationToken);
}
