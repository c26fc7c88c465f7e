using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using JobServer.Events;
using JobServer.Sdk;

namespace JobServer.Batch;

/// <summary>
/// Pushes each destination's tasks to its agent, one at a time and in order: the next task goes out when the agent
/// registers, when a job brings the destination new tasks, and when its task in flight finishes (answered,
/// canceled, timed out). Destinations are independent, so they run in parallel. A push is an event on the
/// collection <see cref="Collection"/> sent to the agent's session alone — it is not published on the event hub,
/// so no other connection can see it. A task canceled or timed out while pushed is withdrawn with a
/// <c>removed</c> event (id = task id) on the same collection, before the destination's next task goes out, so
/// the agent aborts its request to the device.
/// </summary>
internal sealed partial class BatchDelivery : IDisposable
{
    /// <summary>The collection of the task events an agent receives: <c>added</c>, id = task id, fields = task object.</summary>
    public const string Collection = "batch.agent.task";

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly BatchAgents _agents;
    private readonly BatchAgentTasks _tasks;
    private readonly ILogger<BatchDelivery> _logger;

    public BatchDelivery(BatchAgents agents, BatchAgentTasks tasks, BatchPublisher publisher, ILogger<BatchDelivery> logger)
    {
        _agents = agents;
        _tasks = tasks;
        _logger = logger;
        // Raised on the writer's loop after a commit: the offers run elsewhere, so the next commit need not wait.
        publisher.DestinationsChanged += (destinations, withdrawn) =>
            ThreadPool.UnsafeQueueUserWorkItem(OfferAll, (destinations, withdrawn), preferLocal: false);
    }

    private void OfferAll((IReadOnlyCollection<string> Destinations, IReadOnlyDictionary<string, long> Withdrawn) changed)
    {
        foreach (var destination in changed.Destinations)
        {
            _ = OfferNextAsync(destination, changed.Withdrawn.TryGetValue(destination, out var id) ? id : null);
        }
    }

    /// <summary>
    /// Offers the destination's next task to its agent unless one is in flight; nothing when no agent is
    /// connected (the task waits, until its timeout). Never throws: a failure is logged and the next trigger
    /// tries again. <paramref name="withdrawn"/>: a task of the destination that finished without its agent's
    /// answer; when it is the one in flight, the agent is told first (under the same gate, so before the next).
    /// </summary>
    public async Task OfferNextAsync(string destination, long? withdrawn = null)
    {
        if (!_agents.TryGet(destination, out _))
        {
            return;
        }

        var gate = _gates.GetOrAdd(destination, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        try
        {
            // Read again under the gate: the agent may have gone, or registered anew, while this waited.
            if (!_agents.TryGet(destination, out var agent))
            {
                return;
            }

            if (withdrawn is { } stopped && agent.OfferedTaskId == stopped)
            {
                agent.OfferedTaskId = null;
                if (!agent.Session.TrySendEvent(new CollectionEvent(Collection, EventKind.Removed, JsonValue.Create(stopped), null)))
                {
                    LogNotWithdrawn(_logger, stopped, destination);
                }
            }

            if (_tasks.Next(destination) is not var (id, task))
            {
                agent.OfferedTaskId = null;
                return;
            }

            if (id == agent.OfferedTaskId)
            {
                return;
            }

            agent.OfferedTaskId = id;
            var pushed = new CollectionEvent(Collection, EventKind.Added, JsonValue.Create(id), task);
            if (!agent.Session.TrySendEvent(pushed))
            {
                LogNotDelivered(_logger, id, destination);
            }
        }
        catch (Exception e)
        {
            LogOfferFailed(_logger, e, destination);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        foreach (var gate in _gates.Values)
        {
            gate.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Task {TaskId} could not be pushed to the agent of {Destination}; it is offered again when the agent registers")]
    private static partial void LogNotDelivered(ILogger logger, long taskId, string destination);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The agent of {Destination} could not be told that task {TaskId} was withdrawn; its late answer will be dropped")]
    private static partial void LogNotWithdrawn(ILogger logger, long taskId, string destination);

    [LoggerMessage(Level = LogLevel.Error, Message = "Offering the next task to the agent of {Destination} failed")]
    private static partial void LogOfferFailed(ILogger logger, Exception exception, string destination);
}
