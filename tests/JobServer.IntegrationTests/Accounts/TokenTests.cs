using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Accounts;

public sealed class TokenTests(FakeClockDaemonFixture fixture) : IClassFixture<FakeClockDaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task GenerateToken_IsUrlSafeAndSignsAnotherConnectionInAsTheCreator()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var token = (await root.CallResultAsync("auth.generate_token")).GetString()!;
        await using var other = await Daemon.ConnectAsync();

        var ok = await other.CallResultAsync("auth.login_with_token", token);

        token.Should().MatchRegex("^[A-Za-z0-9_-]{48,}$");
        ok.GetBoolean().Should().BeTrue();
        (await other.CallResultAsync("auth.me")).GetProperty("pw_name").GetString().Should().Be("root");
    }

    [Fact]
    public async Task Token_UnusedLongerThanTtl_Expires()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var token = (await root.CallResultAsync("auth.generate_token", 60)).GetString()!;

        fixture.Clock.Advance(TimeSpan.FromSeconds(61));

        await using var other = await Daemon.ConnectAsync();
        (await other.CallResultAsync("auth.login_with_token", token)).GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Token_TtlSlides_WithEveryUseAndEveryCallOfItsSession()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var token = (await root.CallResultAsync("auth.generate_token", 60)).GetString()!;

        fixture.Clock.Advance(TimeSpan.FromSeconds(50));
        await using var first = await Daemon.ConnectAsync();
        (await first.CallResultAsync("auth.login_with_token", token)).GetBoolean().Should().BeTrue();
        fixture.Clock.Advance(TimeSpan.FromSeconds(50));
        await first.CallResultAsync("auth.me"); // 100 s after creation: alive, and used again
        fixture.Clock.Advance(TimeSpan.FromSeconds(50));
        await using var second = await Daemon.ConnectAsync();
        (await second.CallResultAsync("auth.login_with_token", token)).GetBoolean().Should().BeTrue();

        fixture.Clock.Advance(TimeSpan.FromSeconds(61));
        await using var third = await Daemon.ConnectAsync();
        (await third.CallResultAsync("auth.login_with_token", token)).GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Token_SingleUse_SignsInOnce()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var token = (await root.CallResultAsync("auth.generate_token", 600, new { }, true, true)).GetString()!;
        await using var first = await Daemon.ConnectAsync();
        await using var second = await Daemon.ConnectAsync();

        (await first.CallResultAsync("auth.login_with_token", token)).GetBoolean().Should().BeTrue();
        (await second.CallResultAsync("auth.login_with_token", token)).GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Token_CreatorLogsOut_TokenDies_ButSurvivesADisconnect()
    {
        var creator = await Daemon.ConnectAsRootAsync();
        var survivor = (await creator.CallResultAsync("auth.generate_token")).GetString()!;
        await creator.DisposeAsync(); // a plain disconnect

        await using var reconnected = await Daemon.ConnectAsync();
        (await reconnected.CallResultAsync("auth.login_with_token", survivor)).GetBoolean().Should().BeTrue();
        var doomed = (await reconnected.CallResultAsync("auth.generate_token")).GetString()!;
        await reconnected.CallResultAsync("auth.logout");

        await using var other = await Daemon.ConnectAsync();
        (await other.CallResultAsync("auth.login_with_token", doomed)).GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Token_WithAttributes_DoesNotSignIn()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var download = (await root.CallResultAsync("auth.generate_token", 600, new { job = 5 })).GetString()!;
        await using var other = await Daemon.ConnectAsync();

        (await other.CallResultAsync("auth.login_with_token", download)).GetBoolean().Should().BeFalse();
        (await other.CallResultAsync("auth.login_with_token", "not-a-token")).GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task GenerateToken_BadTtl_IsValidationError()
    {
        await using var root = await Daemon.ConnectAsRootAsync();

        var error = await root.CallErrorAsync("auth.generate_token", 0);

        error.GetProperty("extra")[0][0].GetString().Should().Be("auth_generate_token.ttl");
    }

    [Fact]
    public async Task GenerateToken_Anonymous_IsEnotauthenticated()
    {
        await using var anonymous = await Daemon.ConnectAsync();

        (await anonymous.CallErrorAsync("auth.generate_token")).Errno().Should().Be(207);
    }
}
