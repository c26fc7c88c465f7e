namespace JobServer.Cli.Agent;

/// <summary>
/// The agent's progress lines on standard error, one per event (<c>jobctl agent: …</c>), for an operator's
/// journal and for tests that wait for "registered". Never prints the key, a task's data or a device's body.
/// </summary>
internal static class AgentLog
{
    public static void Registered(string destination, Uri url) => Write($"registered {destination} at {url}");

    public static void Performed(long taskId, string method, string resource, int status, bool fromMemory) =>
        Write($"task {taskId}: {method.ToUpperInvariant()} {resource} -> {status}{(fromMemory ? " (answered from memory)" : "")}");

    public static void Skipped(long taskId) => Write($"task {taskId}: finished meanwhile (canceled or timed out); skipped");

    public static void Withdrawn(long taskId, string method, string resource) =>
        Write($"task {taskId}: {method.ToUpperInvariant()} {resource} withdrawn by the daemon (canceled or timed out); request aborted");

    public static void Dropped(long taskId) => Write($"task {taskId}: finished meanwhile (canceled or timed out); answer dropped");

    public static void Refused(long taskId, string reason) => Write($"task {taskId}: the daemon refused the answer: {reason}");

    public static void Disconnected(string reason) => Write($"connection lost ({reason}); reconnecting");

    public static void RetryIn(TimeSpan delay, string reason) => Write($"cannot register ({reason}); retrying in {delay.TotalSeconds:0.0} s");

    private static void Write(string line) => Console.Error.WriteLine($"jobctl agent: {line}");
}
