using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Workers.Channel;

namespace JobServer.Workers.Host;

/// <summary>
/// A job's calls of other methods from a worker: each goes to the daemon as a <see cref="FrameType.Call"/> and
/// runs there through the Dispatcher as the job's caller; the answer comes back as a
/// <see cref="FrameType.CallResult"/>, its error rebuilt as the exception the service would get in the daemon.
/// </summary>
internal sealed class WorkerCalls(JobLane channel)
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource<CallResultMessage>> _pending = new();
    private long _lastId;

    public async Task<JsonNode?> CallAsync(string method, JsonArray? parameters, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _lastId);
        var answer = new TaskCompletionSource<CallResultMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            await channel.WriteJsonAsync(FrameType.Call, new CallMessage(id, method, parameters),
                WorkerJson.Default.CallMessage, cancellationToken);
            var result = await answer.Task.WaitAsync(cancellationToken);
            return result.Error is { } error
                ? throw ErrorMapper.ToException(error.Errno, error.Type, error.Reason, error.Extra)
                : result.Result;
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Called by the worker's read loop; an answer nobody waits for any more is dropped.</summary>
    public void Complete(CallResultMessage result)
    {
        if (_pending.TryGetValue(result.Id, out var answer))
        {
            answer.TrySetResult(result);
        }
    }
}
