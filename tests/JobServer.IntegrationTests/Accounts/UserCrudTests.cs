using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Accounts;

public sealed class UserCrudTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Create_ValidUser_ReturnsItWithoutPasswordAndTheUserCanSignIn()
    {
        await using var root = await Daemon.ConnectAsRootAsync();

        var created = await root.CreateUserAsync("create-ok", ["READONLY_ADMIN"], "Created User");

        created.GetProperty("username").GetString().Should().Be("create-ok");
        created.GetProperty("full_name").GetString().Should().Be("Created User");
        created.GetProperty("roles")[0].GetString().Should().Be("READONLY_ADMIN");
        created.GetProperty("locked").GetBoolean().Should().BeFalse();
        created.GetRawText().Should().NotContain("password");
        await using var user = await Daemon.ConnectAsAsync("create-ok");
        (await user.CallResultAsync("auth.me")).GetProperty("pw_name").GetString().Should().Be("create-ok");
    }

    [Fact]
    public async Task Create_TakenUsername_IsEexistNamingTheUsername()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        await root.CreateUserAsync("taken");

        var error = await root.CallErrorAsync("user.create", new { username = "taken", password = "x" });

        error.Errno().Should().Be(17);
        error.GetProperty("type").GetString().Should().Be("VALIDATION");
        error.GetProperty("extra")[0][0].GetString().Should().Be("user_create.username");
    }

    [Theory]
    [InlineData("bad name", "x", "user_create.username")]
    [InlineData("-dash", "x", "user_create.username")]
    [InlineData("fine", "", "user_create.password")]
    public async Task Create_InvalidField_IsEinvalNamingIt(string username, string password, string attribute)
    {
        await using var root = await Daemon.ConnectAsRootAsync();

        var error = await root.CallErrorAsync("user.create", new { username, password });

        error.Errno().Should().Be(22);
        error.GetProperty("extra")[0][0].GetString().Should().Be(attribute);
    }

    [Fact]
    public async Task Create_UnknownRole_IsValidationError()
    {
        await using var root = await Daemon.ConnectAsRootAsync();

        var error = await root.CallErrorAsync("user.create",
            new { username = "with-bad-role", password = "x", roles = new[] { "SUPERUSER" } });

        error.Errno().Should().Be(22);
        error.GetProperty("extra")[0][0].GetString().Should().Be("user_create.roles");
        error.Reason().Should().Contain("SUPERUSER");
    }

    [Fact]
    public async Task Create_SeveralProblems_AreReportedTogether()
    {
        await using var root = await Daemon.ConnectAsRootAsync();

        var error = await root.CallErrorAsync("user.create",
            new { username = "bad name", password = "", roles = new[] { "NOPE" } });

        error.Errno().Should().Be(11);
        error.GetProperty("extra").GetArrayLength().Should().Be(3);
    }

    [Fact]
    public async Task Create_UnknownField_IsValidationError()
    {
        await using var root = await Daemon.ConnectAsRootAsync();

        var error = await root.CallErrorAsync("user.create", new { username = "x1", password = "x", shell = "/bin/sh" });

        error.GetProperty("type").GetString().Should().Be("VALIDATION");
    }

    [Fact]
    public async Task Update_ChangesGivenFieldsAndPassword()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var id = (await root.CreateUserAsync("update-me", fullName: "Old")).GetProperty("id").GetInt64();

        var updated = await root.CallResultAsync("user.update", id, new { full_name = "New", password = "new-pass" });

        updated.GetProperty("full_name").GetString().Should().Be("New");
        updated.GetProperty("username").GetString().Should().Be("update-me");
        await using var oldPassword = await Daemon.ConnectAsync();
        (await oldPassword.CallResultAsync("auth.login", "update-me", Accounts.Password)).GetBoolean().Should().BeFalse();
        await using var newPassword = await Daemon.ConnectAsAsync("update-me", "new-pass");
    }

    [Fact]
    public async Task Update_LockedUser_CannotSignIn()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var id = (await root.CreateUserAsync("to-lock")).GetProperty("id").GetInt64();

        await root.CallResultAsync("user.update", id, new { locked = true });

        await using var client = await Daemon.ConnectAsync();
        (await client.CallResultAsync("auth.login", "to-lock", Accounts.Password)).GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Update_Missing_IsEnoent()
    {
        await using var root = await Daemon.ConnectAsRootAsync();

        var error = await root.CallErrorAsync("user.update", 4242, new { full_name = "x" });

        error.Errno().Should().Be(2);
    }

    [Fact]
    public async Task Delete_User_RemovesIt()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var id = (await root.CreateUserAsync("delete-me")).GetProperty("id").GetInt64();

        (await root.CallResultAsync("user.delete", id)).GetBoolean().Should().BeTrue();

        (await root.CallErrorAsync("user.get_instance", id)).Errno().Should().Be(2);
    }

    [Fact]
    public async Task Delete_Yourself_IsRefused()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        await root.CreateUserAsync("self-deleter", ["FULL_ADMIN"]);
        await using var self = await Daemon.ConnectAsAsync("self-deleter");
        var id = (await self.CallResultAsync("auth.me")).GetProperty("pw_uid").GetInt64();

        var error = await self.CallErrorAsync("user.delete", id);

        error.Errno().Should().Be(1);
        error.Reason().Should().Contain("signed in with");
    }

    [Fact]
    public async Task DeleteOrDemote_LastFullAdmin_IsRefused()
    {
        // A daemon of its own: here root must end up the only full admin.
        await using var daemon = await Daemon.StartAsync();
        await using var root = await daemon.ConnectAsRootAsync();
        var secondId = (await root.CreateUserAsync("second-admin", ["FULL_ADMIN"])).GetProperty("id").GetInt64();
        // Signed in while still a full admin: the demotion below narrows this session at once (issue 12), so
        // it can no longer try to delete the last full admin at all.
        await using var second = await daemon.ConnectAsAsync("second-admin");
        await root.CallResultAsync("user.update", secondId, new { roles = new[] { "READONLY_ADMIN" } });

        var demote = await root.CallErrorAsync("user.update", 1, new { roles = new[] { "READONLY_ADMIN" } });
        var lockRoot = await root.CallErrorAsync("user.update", 1, new { locked = true });
        var delete = await second.CallErrorAsync("user.delete", 1);

        demote.Errno().Should().Be(1);
        demote.Reason().Should().Contain("last unlocked FULL_ADMIN");
        lockRoot.Errno().Should().Be(1);
        delete.Errno().Should().Be(13, "the demoted session lost FULL_ADMIN with its account");
        (await root.CallResultAsync("user.get_instance", 1)).GetProperty("roles")[0].GetString()
            .Should().Be("FULL_ADMIN");
    }
}
