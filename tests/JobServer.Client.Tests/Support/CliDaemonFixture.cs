namespace JobServer.Client.Tests.Support;

/// <summary>A daemon for the jobctl tests: the test plugin, and <c>sh</c> allowed for <c>exec.run</c>.</summary>
public sealed class CliDaemonFixture : IAsyncLifetime
{
    public ClientDaemon Daemon { get; private set; } = null!;

    /// <summary>The daemon's Unix socket in its data directory.</summary>
    public string Socket => Path.Combine(Daemon.DataDir, "jobserver.sock");

    /// <summary>jobctl's connection flags for root over TCP.</summary>
    public string[] AsRoot => ["-u", Daemon.Url.ToString(), "-U", "root", "-P", ProbeCredentials.RootPassword];

    public async Task InitializeAsync() => Daemon = await ClientDaemon.StartAsync("--JobServer:Exec:Allowed:0=sh");

    public async Task DisposeAsync() => await Daemon.DisposeAsync();
}
