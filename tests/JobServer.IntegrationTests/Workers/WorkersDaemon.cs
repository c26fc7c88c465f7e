using JobServer.IntegrationTests.Jobs;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Workers;

/// <summary>A daemon with the test plugin, one warm worker, a small memory limit and a short abort grace.</summary>
public sealed class WorkersDaemon : IAsyncLifetime
{
    public const int MemoryLimitMb = 192;

    public static readonly string[] Args =
    [
        .. JobsDaemon.Args,
        "--JobServer:Workers:PoolSize=1",
        "--JobServer:Workers:MaxWorkers=4",
        $"--JobServer:Workers:MemoryLimitMb={MemoryLimitMb}",
    ];

    public Daemon Daemon { get; private set; } = null!;

    public async Task InitializeAsync() => Daemon = await Daemon.StartAsync(Args);

    public async Task DisposeAsync() => await Daemon.DisposeAsync();
}
