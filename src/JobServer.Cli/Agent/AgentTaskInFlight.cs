namespace JobServer.Cli.Agent;

/// <summary>
/// The one task this agent is performing, so the daemon's <c>removed</c> event for it (canceled or timed out
/// there) can abort its request to the device while the agent keeps reading its connection.
/// </summary>
internal sealed class AgentTaskInFlight : IDisposable
{
    private readonly CancellationTokenSource _withdrawn;

    private AgentTaskInFlight(long id, CancellationToken stopping)
    {
        Id = id;
        _withdrawn = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    }

    public long Id { get; }

    /// <summary>Whether the daemon withdrew the task (not set when the agent itself stops).</summary>
    public bool WasWithdrawn { get; private set; }

    /// <summary>Ends when the task is answered, skipped or aborted; faults when the connection was lost meanwhile.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Starts <paramref name="perform"/> with a token that ends when the task is withdrawn or the agent stops.</summary>
    public static AgentTaskInFlight Start(long id, Func<AgentTaskInFlight, CancellationToken, Task> perform, CancellationToken stopping)
    {
        var task = new AgentTaskInFlight(id, stopping);
        task.Completion = perform(task, task._withdrawn.Token);
        return task;
    }

    public void Withdraw()
    {
        WasWithdrawn = true;
        _withdrawn.Cancel();
    }

    public void Dispose() => _withdrawn.Dispose();
}
