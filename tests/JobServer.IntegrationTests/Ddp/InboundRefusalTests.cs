using System.Text.Json;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Ddp;

/// <summary>
/// Issue 12 items 16 and 17 on DDP: lone surrogate escapes and duplicate keys are refused in DDP's own shapes,
/// nothing runs, and the connection stays open (they used to drop it with 1000 and an HTTP 500 in the log, or
/// to pick the first or the last of two keys).
/// </summary>
public sealed class InboundRefusalTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    [Theory]
    [InlineData("""{"msg":"\ud800"}""")]
    [InlineData("""{"msg":"method","id":"\ud800","method":"core.ping","params":[]}""")]
    [InlineData("""{"msg":"sub","id":"s1","name":"\udc00"}""")]
    [InlineData("""{"msg":"ping","id":"\ud800"}""")]
    [InlineData("""{"msg":"method","id":"1","id":"2","method":"core.ping"}""")]
    [InlineData("""{"msg":"method","msg":"ping","id":"1","method":"core.ping"}""")]
    [InlineData("""{"\ud800":1,"msg":"method","id":"1","method":"core.ping"}""")]
    public async Task RefusedEnvelope_AnswersErrorMessage_AndKeepsTheConnection(string text)
    {
        await using var client = await Daemon.ConnectAsync();

        await client.SendTextAsync(text);

        var error = await client.ReceiveAsync(m => m.Msg() == "error");
        error.GetProperty("reason").GetString().Should().StartWith("Malformed message: ");
        await ShouldStillAnswerAsync(client);
    }

    [Theory]
    [InlineData("""{"msg":"method","id":"m1","method":"core.\ud800ping","params":[]}""", "lone surrogate")]
    [InlineData("""{"msg":"method","id":"m1","method":"core.ping","method":"auth.me"}""", "Duplicate key 'method'")]
    [InlineData("""{"msg":"method","id":"m1","method":"core.ping","params":[],"params":[1]}""", "Duplicate key 'params'")]
    public async Task RefusedMethodEnvelope_AnswersTheCallWithEinval(string text, string reason)
    {
        await using var client = await Daemon.ConnectAsync();

        await client.SendTextAsync(text);

        var error = (await client.ResultOfAsync("m1")).GetProperty("error");
        error.GetProperty("error").GetInt32().Should().Be(22);
        error.GetProperty("reason").GetString().Should().StartWith("[EINVAL] Message is malformed: ").And.Contain(reason);
        await ShouldStillAnswerAsync(client);
    }

    [Fact]
    public async Task LoneSurrogateInConnectVersion_AnswersFailed_AndAllowsAConnectAfter()
    {
        await using var client = await Daemon.ConnectAsync(handshake: false);

        await client.SendTextAsync("""{"msg":"connect","version":"\ud800","support":["1"]}""");
        (await client.ReceiveAsync(m => m.Msg() is not null)).Msg().Should().Be("failed");

        await client.SendAsync(new { msg = "connect", version = "1", support = new[] { "1" } });
        (await client.ReceiveAsync(m => m.Msg() is not null)).Msg().Should().Be("connected");
    }

    [Theory]
    [InlineData("""[{"legacy_jobs":"\ud800"}]""", "core_set_options.options.legacy_jobs", "lone surrogate")]
    [InlineData("""[{"legacy_jobs":false,"legacy_jobs":true}]""", "core_set_options.options.legacy_jobs", "Duplicate key 'legacy_jobs'")]
    [InlineData("""["\ud800"]""", "core_set_options.options", "lone surrogate")]
    public async Task RefusedParams_IsTheCallsValidationError(string parameters, string attribute, string message)
    {
        await using var client = await Daemon.ConnectAsync();

        await client.SendTextAsync($$"""{"msg":"method","id":"p1","method":"core.set_options","params":{{parameters}}}""");

        var error = (await client.ResultOfAsync("p1")).GetProperty("error");
        error.GetProperty("error").GetInt32().Should().Be(11);
        error.GetProperty("type").GetString().Should().Be("VALIDATION");
        var extra = error.GetProperty("extra")[0];
        extra[0].GetString().Should().Be(attribute);
        extra[1].GetString().Should().Contain(message);
        error.GetProperty("reason").GetString().Should().NotContain("System.").And.NotContain("Exception");
        await ShouldStillAnswerAsync(client);
    }

    [Fact]
    public async Task DuplicateKeyDeepInAJobsParams_IsAValidationError_AndCreatesNoJob()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        var before = (await client.CallResultAsync("core.get_jobs", Array.Empty<object>(), new { count = true })).GetInt32();

        await client.SendTextAsync("""{"msg":"method","id":"j1","method":"core.bulk","params":["core.ping",[[{"a":1,"a":2}]]]}""");

        var error = (await client.ResultOfAsync("j1")).GetProperty("error");
        error.GetProperty("type").GetString().Should().Be("VALIDATION");
        error.GetProperty("extra")[0][0].GetString().Should().StartWith("core_bulk.").And.EndWith("[0][0].a");
        var after = (await client.CallResultAsync("core.get_jobs", Array.Empty<object>(), new { count = true })).GetInt32();
        after.Should().Be(before);
    }

    [Fact]
    public async Task UnknownMethodWithRefusedParams_IsStillEnomethod()
    {
        await using var client = await Daemon.ConnectAsync();

        await client.SendTextAsync("""{"msg":"method","id":"u1","method":"no.such","params":["\ud800"]}""");

        (await client.ResultOfAsync("u1")).GetProperty("error").GetProperty("error").GetInt32().Should().Be(201);
    }

    private static async Task ShouldStillAnswerAsync(DdpClient client)
    {
        (await client.CallResultAsync("core.ping")).GetString().Should().Be("pong");
        client.CloseStatus.Should().BeNull();
    }
}
