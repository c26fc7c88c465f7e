namespace JobServer.Bench.Peers;

/// <summary>Hangfire's counterpart of <c>bench.noop</c>; Hangfire invokes public methods of public types.</summary>
public static class HangfireNoopJob
{
    public static void Run()
    {
    }
}
