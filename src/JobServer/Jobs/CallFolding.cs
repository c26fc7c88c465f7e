using System.Text.Json;
using JobServer.Registry;

namespace JobServer.Jobs;

/// <summary>
/// When <c>LockQueueSize</c> lets a call join a waiting job instead of creating one: only when that job is the very
/// same call — same method, equal arguments, same owner. Before issue 12 (item 6) any call on the lock was folded:
/// another admin's <c>exec.run /bin/echo</c> joined root's waiting <c>sleep 5</c>, never ran, and its caller got
/// someone else's job id.
/// </summary>
internal static class CallFolding
{
    public static bool IsSameCall(JobRequest waiting, MethodDescriptor method, JsonElement arguments, string? owner) =>
        ReferenceEquals(waiting.Method, method) &&
        string.Equals(waiting.Caller.Username, owner, StringComparison.Ordinal) &&
        // Canonical JSON equality: property order and number spelling (1 and 1.0) do not matter, values do.
        JsonElement.DeepEquals(waiting.RawArguments, arguments);
}
