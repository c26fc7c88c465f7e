using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Jobs;

/// <summary>A daemon with the test job plugin and a few executables allowed for <c>exec.run</c>.</summary>
public sealed class JobsDaemon : IAsyncLifetime
{
    public static readonly string[] Args =
    [
        "--plugin-dir", RepositoryPaths.TestPluginOutput,
        "--JobServer:Exec:Allowed:0=sleep",
        "--JobServer:Exec:Allowed:1=sh",
        "--JobServer:Jobs:AbortGraceSeconds=1",
    ];

    public Daemon Daemon { get; private set; } = null!;

    public async Task InitializeAsync() => Daemon = await Daemon.StartAsync(Args);

    public async Task DisposeAsync() => await Daemon.DisposeAsync();
}
