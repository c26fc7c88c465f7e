using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Accounts;

public sealed class LoginExTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task MechanismChoices_Anonymous_ListsThePlainMechanisms()
    {
        await using var client = await Daemon.ConnectAsync();

        var choices = await client.CallResultAsync("auth.mechanism_choices");

        choices.EnumerateArray().Select(c => c.GetString()).Should()
            .Equal("PASSWORD_PLAIN", "API_KEY_PLAIN", "TOKEN_PLAIN");
    }

    [Fact]
    public async Task PasswordPlain_Right_IsSuccessWithUserInfo()
    {
        await using var client = await Daemon.ConnectAsync();

        var response = await client.CallResultAsync("auth.login_ex",
            new { mechanism = "PASSWORD_PLAIN", username = "root", password = Daemon.RootPassword });

        response.GetProperty("response_type").GetString().Should().Be("SUCCESS");
        response.GetProperty("authenticator").GetString().Should().Be("LEVEL_1");
        response.GetProperty("reconnect_token").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
        response.GetProperty("user_info").GetProperty("pw_name").GetString().Should().Be("root");
        (await client.CallResultAsync("auth.me")).GetProperty("pw_name").GetString().Should().Be("root");
    }

    [Fact]
    public async Task PasswordPlain_WithoutUserInfo_HasNullUserInfo()
    {
        await using var client = await Daemon.ConnectAsync();

        var response = await client.CallResultAsync("auth.login_ex", new
        {
            mechanism = "PASSWORD_PLAIN", username = "root", password = Daemon.RootPassword,
            login_options = new { user_info = false },
        });

        response.GetProperty("response_type").GetString().Should().Be("SUCCESS");
        response.GetProperty("user_info").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task PasswordPlain_Wrong_IsAuthErrAndStaysAnonymous()
    {
        await using var client = await Daemon.ConnectAsync();

        var response = await client.CallResultAsync("auth.login_ex",
            new { mechanism = "PASSWORD_PLAIN", username = "root", password = "wrong" });

        response.GetProperty("response_type").GetString().Should().Be("AUTH_ERR");
        (await client.CallErrorAsync("auth.me")).Errno().Should().Be(207);
    }

    [Fact]
    public async Task TokenAndApiKeyPlain_SignIn()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var token = (await root.CallResultAsync("auth.generate_token")).GetString();
        var key = (await root.CallResultAsync("api_key.create", new { name = "login-ex" })).GetProperty("key").GetString();
        await using var byToken = await Daemon.ConnectAsync();
        await using var byKey = await Daemon.ConnectAsync();
        await using var wrongOwner = await Daemon.ConnectAsync();

        var tokenResponse = await byToken.CallResultAsync("auth.login_ex", new { mechanism = "TOKEN_PLAIN", token });
        var keyResponse = await byKey.CallResultAsync("auth.login_ex",
            new { mechanism = "API_KEY_PLAIN", username = "root", api_key = key });
        var wrongResponse = await wrongOwner.CallResultAsync("auth.login_ex",
            new { mechanism = "API_KEY_PLAIN", username = "someone-else", api_key = key });

        tokenResponse.GetProperty("response_type").GetString().Should().Be("SUCCESS");
        keyResponse.GetProperty("response_type").GetString().Should().Be("SUCCESS");
        wrongResponse.GetProperty("response_type").GetString().Should().Be("AUTH_ERR");
    }

    [Theory]
    [InlineData("""{"mechanism": "OTP_TOKEN", "otp_token": "1"}""", "auth_login_ex.data.mechanism")]
    [InlineData("""{"mechanism": "PASSWORD_PLAIN", "username": "root"}""", "auth_login_ex.data.password")]
    [InlineData("""{"username": "root"}""", "auth_login_ex.data.mechanism")]
    public async Task BadRequest_IsValidationError(string data, string attribute)
    {
        await using var client = await Daemon.ConnectAsync();

        var error = await client.CallErrorAsync("auth.login_ex", UserQueryFilterTests.Json(data));

        error.GetProperty("type").GetString().Should().Be("VALIDATION");
        error.GetProperty("extra")[0][0].GetString().Should().Be(attribute);
    }
}
