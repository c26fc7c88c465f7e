using System.Collections.Concurrent;

namespace JobServer.TestPlugin;

/// <summary>Named gates a test opens over the protocol (<c>testjobs.release</c>) to let a job finish.</summary>
internal static class Gates
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Open = new(StringComparer.Ordinal);

    public static Task WaitAsync(string key, CancellationToken cancellationToken) =>
        Open.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))
            .Task.WaitAsync(cancellationToken);

    public static void Release(string key) =>
        Open.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))
            .TrySetResult();
}
