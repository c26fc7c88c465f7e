using System.ComponentModel;
using System.Text.Json.Nodes;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Sessions;

namespace JobServer.Batch;

/// <summary>
/// <c>batch.agent.*</c>: what a device agent calls on its own connection (each method is session-bound). Only a
/// <c>BATCH_AGENT</c> key may call them — <c>FULL_ADMIN</c> does not grant them (<c>MethodAccess</c>), so no
/// admin credential can pose as a device — and such a key may call nothing else. The agent registers its
/// destination, then receives its tasks as <c>batch.agent.task</c> events and answers each.
/// </summary>
[Namespace("batch.agent")]
internal sealed class BatchAgentService(BatchAgents agents, BatchAgentTasks tasks, BatchDelivery delivery) : Service
{
    [Roles(Role.BatchAgent)]
    [Description("Makes this connection the agent of a destination id (one live agent per destination: EBUSY " +
                 "while another is connected). Its tasks then arrive as batch.agent.task events, one at a time; " +
                 "one offered before and never answered is offered again.")]
    public async Task<bool> Register(ILiveSession session, string destination)
    {
        if (!BatchJobRequest.IsDestination(destination))
        {
            throw new ValidationException("destination", "Must be 1 to 200 printable characters without spaces");
        }

        agents.Register(session, destination);
        await delivery.OfferNextAsync(destination);
        return true;
    }

    [Roles(Role.BatchAgent)]
    [Description("Acknowledges a task before performing it (sent → running). False: it has finished meanwhile " +
                 "(canceled, timed out), do not perform it.")]
    public Task<bool> Ack(ILiveSession session, long taskId, CancellationToken cancellationToken = default) =>
        tasks.AcknowledgeAsync(agents.OfSession(session).Destination, taskId, cancellationToken);

    [Roles(Role.BatchAgent)]
    [Description("Reports a running task's progress, 0 to 100. False: the task has finished.")]
    public Task<bool> Progress(ILiveSession session, long taskId, int percent, CancellationToken cancellationToken = default) =>
        tasks.ReportProgressAsync(agents.OfSession(session).Destination, taskId, percent, cancellationToken);

    [Roles(Role.BatchAgent)]
    [Description("Answers a task with the device's response {status, body}: a 2xx status resolves it, any other " +
                 "rejects it. False: the task had finished already and the answer is dropped.")]
    public Task<bool> Result(ILiveSession session, long taskId, JsonObject result,
        CancellationToken cancellationToken = default) =>
        tasks.FinishAsync(agents.OfSession(session).Destination, taskId, result, cancellationToken);
}
