namespace JobServer.Client.Tests.Support;

/// <summary>One daemon shared by the tests of a class (tests that restart it start their own).</summary>
public sealed class ClientDaemonFixture : IAsyncLifetime
{
    public ClientDaemon Daemon { get; private set; } = null!;

    public async Task InitializeAsync() => Daemon = await ClientDaemon.StartAsync();

    public async Task DisposeAsync() => await Daemon.DisposeAsync();
}
