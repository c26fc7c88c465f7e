using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace JobServer.IntegrationTests.Rest;

/// <summary>Every error status of the mirror, each in the reference's shape, and what is not mirrored.</summary>
[Collection(RestCollection.Name)]
public sealed class RestErrorTests(RestDaemon fixture)
{
    [Fact]
    public async Task NoCredentials_Is401_ButANoAuthMethodAnswers()
    {
        using var anonymous = fixture.Anonymous;

        var (refused, body) = await anonymous.GetAsync("/api/v2.0/user");
        var (ping, pong) = await anonymous.GetAsync("/api/v2.0/core/ping");

        refused.Should().Be(HttpStatusCode.Unauthorized);
        body.GetProperty("message").GetString().Should().Be("Authentication is required");
        ping.Should().Be(HttpStatusCode.OK);
        pong.GetString().Should().Be("pong");
    }

    [Fact]
    public async Task WrongPassword_Is401_EvenForANoAuthMethod()
    {
        using var wrong = new RestClient(fixture.Daemon.BaseUri, Support.Transfer.Basic("root", "wrong"));

        var (status, _) = await wrong.GetAsync("/api/v2.0/core/ping");

        status.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ApiKeyAndToken_SignIn_AsOnUpload()
    {
        using var root = fixture.Root;
        var (_, key) = await root.CallAsync(HttpMethod.Post, "/api/v2.0/api_key", new { name = "rest-key", roles = new[] { "READONLY_ADMIN" } });
        var (_, token) = await root.CallAsync(HttpMethod.Post, "/api/v2.0/auth/generate_token", new { ttl = 600 });
        using var byKey = new RestClient(fixture.Daemon.BaseUri, new AuthenticationHeaderValue("Bearer", key.GetProperty("key").GetString()));
        using var byToken = new RestClient(fixture.Daemon.BaseUri, new AuthenticationHeaderValue("Token", token.GetString()));

        (await byKey.GetAsync("/api/v2.0/user")).Status.Should().Be(HttpStatusCode.OK);
        (await byKey.CallAsync(HttpMethod.Post, "/api/v2.0/user", new { username = "by-key", password = "x" }))
            .Status.Should().Be(HttpStatusCode.Forbidden, "the key holds READONLY_ADMIN only");
        (await byToken.GetAsync("/api/v2.0/auth/me")).Body.GetProperty("pw_name").GetString().Should().Be("root");
    }

    [Fact]
    public async Task WithoutTheRole_Is403AndChangesNothing()
    {
        using var reader = fixture.As("rest-reader");

        var (status, body) = await reader.CallAsync(HttpMethod.Post, "/api/v2.0/user", new { username = "not-made", password = "x" });
        var (_, found) = await reader.GetAsync("/api/v2.0/user?username=not-made");

        status.Should().Be(HttpStatusCode.Forbidden);
        body.GetProperty("errno").GetInt32().Should().Be(13);
        found.GetArrayLength().Should().Be(0);
    }

    [Theory]
    [InlineData("/api/v2.0/no/such/thing")]
    [InlineData("/api/v2.0/auth/login")]
    [InlineData("/api/v2.0/core/subscribe")]
    [InlineData("/api/v2.0/hello/secret")]
    [InlineData("/api/v2.0/core/stream_job_log")]
    public async Task UnknownPrivateOrSessionOnly_Is404(string path)
    {
        using var root = fixture.Root;

        var (get, body) = await root.GetAsync(path);
        var (post, _) = await root.CallAsync(HttpMethod.Post, path, new { });

        get.Should().Be(HttpStatusCode.NotFound);
        post.Should().Be(HttpStatusCode.NotFound);
        body.GetProperty("errno").GetInt32().Should().Be(201);
    }

    [Fact]
    public async Task WrongVerb_Is405WithAllow()
    {
        using var root = fixture.Root;

        using var response = await root.SendAsync(HttpMethod.Patch, "/api/v2.0/user", (HttpContent?)null);

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.Should().BeEquivalentTo("GET", "POST");
    }

    [Theory]
    [InlineData("{\"username\": ", "application/json", HttpStatusCode.BadRequest, "not JSON")]
    [InlineData("{\"username\": \"a\", \"username\": \"b\"}", "application/json", HttpStatusCode.BadRequest, "refused")]
    [InlineData("username=a", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType, "must be JSON")]
    public async Task MalformedBody_Is4xxAndCreatesNothing(string body, string type, HttpStatusCode expected, string why)
    {
        using var root = fixture.Root;

        var content = new StringContent(body, Encoding.UTF8, type);
        using var response = await root.SendAsync(HttpMethod.Post, "/api/v2.0/user", content);
        var answer = await RestClient.BodyOf(response);
        var (_, users) = await root.GetAsync("/api/v2.0/user?username=a");

        response.StatusCode.Should().Be(expected);
        answer.GetProperty("message").GetString().Should().Contain(why);
        users.GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task HugeBody_Is413()
    {
        using var root = fixture.Root;

        var content = new StringContent("\"" + new string('x', 2 * 1024 * 1024) + "\"", Encoding.UTF8, "application/json");
        using var response = await root.SendAsync(HttpMethod.Post, "/api/v2.0/testjobs/echo", content);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task ValidationError_Is422KeyedByAttribute()
    {
        using var root = fixture.Root;

        var (status, body) = await root.CallAsync(HttpMethod.Post, "/api/v2.0/user", new { username = "bad name", password = "x" });

        status.Should().Be(HttpStatusCode.UnprocessableEntity);
        body.GetProperty("user_create.username")[0].GetProperty("errno").GetInt32().Should().Be(22);
    }

    [Fact]
    public async Task SeveralArguments_TakeAnObjectKeyedByName_AndRefuseUnknownOrMissingOnes()
    {
        using var root = fixture.Root;

        var (added, sum) = await root.CallAsync(HttpMethod.Post, "/api/v2.0/hello/add", new { a = 2, b = 3 });
        var (defaulted, greeting) = await root.CallAsync(HttpMethod.Post, "/api/v2.0/hello/greet", new { name = "Ada" });
        var (unexpected, extra) = await root.CallAsync(HttpMethod.Post, "/api/v2.0/hello/add", new { a = 2, b = 3, c = 4 });
        var (missing, absent) = await root.CallAsync(HttpMethod.Post, "/api/v2.0/hello/add", new { a = 2 });

        added.Should().Be(HttpStatusCode.OK);
        sum.GetInt64().Should().Be(5);
        defaulted.Should().Be(HttpStatusCode.OK);
        greeting.GetString().Should().Contain("Ada");
        unexpected.Should().Be(HttpStatusCode.BadRequest);
        extra.GetProperty("message").GetString().Should().Be("The following attributes are not expected: c");
        missing.Should().Be(HttpStatusCode.BadRequest);
        absent.GetProperty("message").GetString().Should().Be("b attribute expected.");
    }
}
