using JobServer.IntegrationTests.Support;
using Microsoft.Extensions.Time.Testing;

namespace JobServer.IntegrationTests.Accounts;

/// <summary>
/// A daemon whose clock is a <see cref="FakeTimeProvider"/> the tests move. Failed logins are not held (a held
/// answer would wait on the fake clock).
/// </summary>
public sealed class FakeClockDaemonFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public Daemon Daemon { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Daemon = await Daemon.StartAsync(["--JobServer:Auth:FailedLoginDelayMilliseconds=0"], time: Clock);

    public async Task DisposeAsync() => await Daemon.DisposeAsync();
}
