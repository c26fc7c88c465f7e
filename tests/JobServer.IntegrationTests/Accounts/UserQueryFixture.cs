using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Accounts;

/// <summary>
/// A daemon with a handful of accounts of varied fields (ids 1-6 in this order), for read-only query tests:
/// root (FULL_ADMIN, "Administrator"), alice (FULL_ADMIN, "Alice Liddell"), bob (READONLY_ADMIN, "Bob Builder",
/// locked), carol (plain, "carol singer"), dave (READONLY_ADMIN, ""), Eve (plain, "Eve.Online", locked).
/// </summary>
public sealed class UserQueryFixture : IAsyncLifetime
{
    public Daemon Daemon { get; private set; } = null!;

    public DdpClient Root { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Daemon = await Daemon.StartAsync();
        Root = await Daemon.ConnectAsRootAsync();
        await Root.CreateUserAsync("alice", ["FULL_ADMIN"], "Alice Liddell");
        await Root.CreateUserAsync("bob", ["READONLY_ADMIN"], "Bob Builder", locked: true);
        await Root.CreateUserAsync("carol", [], "carol singer");
        await Root.CreateUserAsync("dave", ["READONLY_ADMIN"]);
        await Root.CreateUserAsync("Eve", [], "Eve.Online", locked: true);
    }

    public async Task DisposeAsync()
    {
        await Root.DisposeAsync();
        await Daemon.DisposeAsync();
    }
}
