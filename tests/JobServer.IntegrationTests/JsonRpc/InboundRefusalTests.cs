using System.Text.Json;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.JsonRpc;

/// <summary>
/// Issue 12 items 16 and 17 on JSON-RPC: lone surrogate escapes and duplicate keys are -32600 in the envelope
/// and -32602 inside params, nothing runs, and the connection stays open.
/// </summary>
public sealed class InboundRefusalTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":7,"method":"core.\ud800"}""", "7")]
    [InlineData("""{"jsonrpc":"\udfff","id":7,"method":"core.ping"}""", "7")]
    [InlineData("""{"jsonrpc":"2.0","id":"\ud800","method":"core.ping"}""", "null")]
    [InlineData("""{"jsonrpc":"2.0","id":7,"method":"core.ping","method":"auth.me"}""", "7")]
    [InlineData("""{"jsonrpc":"2.0","id":7,"id":8,"method":"core.ping"}""", "null")]
    [InlineData("""{"jsonrpc":"2.0","id":7,"method":"core.ping","\udc00":1}""", "null")]
    [InlineData("""{"jsonrpc":"2.0","id":7,"method":"core.ping","params":{"a":1,"a":2}}""", "7")]
    public async Task RefusedEnvelope_IsInvalidRequest_AndKeepsTheConnection(string text, string rawId)
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();

        await client.SendTextAsync(text);

        var error = (await client.ResponseAsync(rawId)).GetProperty("error");
        error.GetProperty("code").GetInt32().Should().Be(-32600);
        error.GetProperty("message").GetString().Should().NotContain("System.");
        await ShouldStillAnswerAsync(client);
    }

    [Theory]
    [InlineData("""[{"legacy_jobs":"\ud800"}]""", "core_set_options.options.legacy_jobs")]
    [InlineData("""[{"legacy_jobs":false,"legacy_jobs":true}]""", "core_set_options.options.legacy_jobs")]
    [InlineData("""[{"x":{"y":[{"z":1,"z":1}]}}]""", "core_set_options.options.x.y[0].z")]
    public async Task RefusedParams_IsInvalidParams(string parameters, string attribute)
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();

        await client.SendTextAsync($$"""{"jsonrpc":"2.0","id":9,"method":"core.set_options","params":{{parameters}}}""");

        var error = (await client.ResponseAsync("9")).GetProperty("error");
        error.GetProperty("code").GetInt32().Should().Be(-32602);
        error.GetProperty("data").GetProperty("error").GetInt32().Should().Be(22);
        error.GetProperty("data").GetProperty("extra")[0][0].GetString().Should().Be(attribute);
        await ShouldStillAnswerAsync(client);
    }

    [Fact]
    public async Task UnknownMethodWithRefusedParams_IsMethodNotFound()
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();

        await client.SendTextAsync("""{"jsonrpc":"2.0","id":3,"method":"no.such","params":["\ud800"]}""");

        (await client.ResponseAsync("3")).GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32601);
    }

    [Fact]
    public async Task RefusedNotification_IsDropped()
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();

        await client.SendTextAsync("""{"jsonrpc":"2.0","method":"core.\ud800"}""");
        await ShouldStillAnswerAsync(client);

        client.HasPending(m => m.TryGetProperty("error", out _)).Should().BeFalse();
    }

    private static async Task ShouldStillAnswerAsync(JsonRpcClient client)
    {
        (await client.CallResultAsync("core.ping")).GetString().Should().Be("pong");
        client.CloseStatus.Should().BeNull();
    }
}
