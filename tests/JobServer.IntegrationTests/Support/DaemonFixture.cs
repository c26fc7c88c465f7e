namespace JobServer.IntegrationTests.Support;

/// <summary>One daemon shared by the tests of a class.</summary>
public sealed class DaemonFixture : IAsyncLifetime
{
    public Daemon Daemon { get; private set; } = null!;

    public async Task InitializeAsync() => Daemon = await Daemon.StartAsync();

    public async Task DisposeAsync() => await Daemon.DisposeAsync();
}
