using JobServer.Workers.Channel;

namespace JobServer.Workers.Host;

/// <summary>
/// <c>JobServer worker</c>: the daemon's own executable started as a worker process for <c>[Job(Process = true)]</c>
/// bodies. It is the daemon's build, so a worker can never be another version than its daemon, and it needs no
/// install of its own. It starts no web host and reads no settings: everything it needs comes over its channel
/// (standard input and output) and its environment (the heap limit).
/// </summary>
internal static class WorkerMain
{
    public const string Verb = "worker";

    public static async Task<int> RunAsync()
    {
        var (input, output) = StandardStreams.TakeForChannel();
        await using var channel = new FrameChannel(input, output);
        using var services = WorkerServices.Create();
        try
        {
            return await new WorkerLoop(channel, new ServiceLoader(services)).RunAsync();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException)
        {
            await Console.Error.WriteLineAsync($"The worker's channel to the daemon broke: {e.Message}");
            return WorkerLoop.ChannelBrokenExitCode;
        }
    }
}
