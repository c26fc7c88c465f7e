using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Accounts;

public sealed class RoleTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task ReadonlyAdmin_MayReadButNotChange()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        await root.CreateUserAsync("reader", ["READONLY_ADMIN"]);
        await using var reader = await Daemon.ConnectAsAsync("reader");

        (await reader.CallResultAsync("user.query")).GetArrayLength().Should().BeGreaterThan(1);
        (await reader.CallResultAsync("user.get_instance", 1)).GetProperty("username").GetString().Should().Be("root");
        (await reader.CallResultAsync("system.general.config")).GetProperty("job_retention_days").GetInt32()
            .Should().Be(7);

        var create = await reader.CallErrorAsync("user.create", new { username = "nope", password = "x" });
        var update = await reader.CallErrorAsync("system.general.update", new { job_retention_days = 1 });
        var delete = await reader.CallErrorAsync("user.delete", 1);
        create.Errno().Should().Be(13);
        create.Reason().Should().Be("[EACCES] Not authorized");
        update.Errno().Should().Be(13);
        delete.Errno().Should().Be(13);
    }

    [Fact]
    public async Task PlainUser_SignsInButMayNotReadAccounts()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        await root.CreateUserAsync("plain");
        await using var plain = await Daemon.ConnectAsAsync("plain");

        var me = await plain.CallResultAsync("auth.me");
        var query = await plain.CallErrorAsync("user.query");
        var config = await plain.CallErrorAsync("system.general.config");

        me.GetProperty("privilege").GetProperty("roles").GetArrayLength().Should().Be(0);
        query.Errno().Should().Be(13);
        config.Errno().Should().Be(13);
    }

    [Fact]
    public async Task GetMethods_ListsOnlyWhatEachRoleMayCall()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        await root.CreateUserAsync("lister-ro", ["READONLY_ADMIN"]);
        await root.CreateUserAsync("lister-plain");
        await using var reader = await Daemon.ConnectAsAsync("lister-ro");
        await using var plain = await Daemon.ConnectAsAsync("lister-plain");

        var full = Names(await root.CallResultAsync("core.get_methods"));
        var readonlyAdmin = Names(await reader.CallResultAsync("core.get_methods"));
        var user = Names(await plain.CallResultAsync("core.get_methods"));

        full.Should().Contain(["user.query", "user.create", "user.delete", "system.general.update", "auth.sessions",
            "auth.terminate_session", "api_key.create"]);
        readonlyAdmin.Should().Contain(["user.query", "user.get_instance", "system.general.config", "api_key.query"]);
        readonlyAdmin.Should().NotContain(["user.create", "user.update", "user.delete", "system.general.update",
            "auth.sessions"]);
        user.Should().Contain(["auth.me", "auth.logout", "auth.generate_token", "api_key.create", "core.ping"]);
        user.Should().NotContain(["user.query", "user.create", "system.general.config", "auth.sessions"]);
    }

    [Fact]
    public async Task Subscribe_UserQuery_RefusedForPlainUser()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        await root.CreateUserAsync("plain-sub");
        await using var plain = await Daemon.ConnectAsAsync("plain-sub");

        await plain.SendAsync(new { msg = "sub", id = "s1", name = "user.query" });

        var refused = await plain.ResultOfAsync("s1");
        refused.GetProperty("error").Errno().Should().Be(13);
    }

    private static string[] Names(System.Text.Json.JsonElement methods) =>
        methods.EnumerateObject().Select(p => p.Name).ToArray();
}
