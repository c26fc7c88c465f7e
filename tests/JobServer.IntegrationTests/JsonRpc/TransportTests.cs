using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.JsonRpc;

public sealed class TransportTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    [Theory]
    [InlineData("{not json", null)]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"core.ping"}]""", "Batch messages are not supported at this time")]
    [InlineData("42", "Message must be a JSON object")]
    public async Task UnparsableMessage_IsParseErrorWithNullId_AndTheConnectionStaysOpen(string text, string? message)
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();
        await client.SendTextAsync(text);

        var error = (await client.ResponseAsync("null")).GetProperty("error");

        error.GetProperty("code").GetInt32().Should().Be(-32700);
        if (message is not null)
        {
            error.GetProperty("message").GetString().Should().Be(message);
        }

        (await client.CallResultAsync("core.ping")).GetString().Should().Be("pong");
    }

    [Theory]
    [InlineData("""{"id":"r","method":"core.ping"}""", "Missing 'jsonrpc' member")]
    [InlineData("""{"jsonrpc":"1.0","id":"r","method":"core.ping"}""",
        "'jsonrpc' member must be of type string and must be exactly '2.0'")]
    [InlineData("""{"jsonrpc":2.0,"id":"r","method":"core.ping"}""",
        "'jsonrpc' member must be of type string and must be exactly '2.0'")]
    [InlineData("""{"jsonrpc":"2.0","id":"r"}""", "Missing 'method' member")]
    [InlineData("""{"jsonrpc":"2.0","id":"r","method":5}""", "Missing 'method' member")]
    [InlineData("""{"jsonrpc":"2.0","id":"r","method":"core.ping","params":{"a":1}}""",
        "'params' member must be of type array")]
    [InlineData("""{"jsonrpc":"2.0","id":"r","method":"core.ping","params":null}""",
        "'params' member must be of type array")]
    public async Task InvalidRequest_WithId_IsAnswered32600(string text, string message)
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();
        await client.SendTextAsync(text);

        var error = (await client.ResponseAsync("\"r\"")).GetProperty("error");

        error.GetProperty("code").GetInt32().Should().Be(-32600);
        error.GetProperty("message").GetString().Should().Be(message);
    }

    [Fact]
    public async Task InvalidRequest_WithFractionalId_IsAnsweredWithNullId()
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();
        await client.SendTextAsync("""{"jsonrpc":"2.0","id":1.5,"method":"core.ping"}""");

        var error = (await client.ResponseAsync("null")).GetProperty("error");

        error.GetProperty("code").GetInt32().Should().Be(-32600);
    }

    [Theory]
    [InlineData("""{"method":"core.ping"}""")]
    [InlineData("""{"jsonrpc":"2.0"}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"core.ping","params":"x"}""")]
    public async Task InvalidRequest_WithoutId_IsDropped(string text)
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();
        await client.SendTextAsync(text);

        (await client.CallResultAsync("core.ping")).GetString().Should().Be("pong");

        client.Unmatched.Should().BeEmpty();
    }

    [Fact]
    public async Task BinaryFrame_ClosesWith1003()
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();
        await client.SendBinaryAsync([1, 2, 3]);

        await client.WaitClosedAsync();

        client.CloseStatus.Should().Be(WebSocketCloseStatus.InvalidMessageType);
    }

    [Fact]
    public async Task OversizeMessage_Anonymous_ClosesWith1007()
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();
        await client.SendRequestAsync("core.ping", new string('x', 9000));

        await client.WaitClosedAsync();

        client.CloseStatus.Should().Be(WebSocketCloseStatus.InvalidPayloadData);
        client.CloseDescription.Should().Be("Anonymous connection max message length is 8 kB");
    }

    [Fact]
    public async Task OversizeMessage_Authenticated_ClosesWith1009()
    {
        await using var client = await Daemon.ConnectJsonRpcAsRootAsync();
        (await client.CallErrorAsync("core.ping", new string('x', 9000))).GetProperty("code").GetInt32().Should().Be(-32602);

        await client.SendRequestAsync("core.ping", new string('x', 70_000));
        await client.WaitClosedAsync();

        client.CloseStatus.Should().Be(WebSocketCloseStatus.MessageTooBig);
        client.CloseDescription.Should().Be("Max message length is 64 kB");
    }

    [Fact]
    public async Task ApiV1_SpeaksTheSameDialect()
    {
        await using var client = await Daemon.ConnectJsonRpcAsync("/api/v1");

        (await client.CallResultAsync("core.ping")).GetString().Should().Be("pong");
        (await client.CallErrorAsync("core.nope")).GetProperty("code").GetInt32().Should().Be(-32601);
    }

    [Fact]
    public async Task ApiVersions_ListsTheVersions()
    {
        using var http = new HttpClient { BaseAddress = Daemon.BaseUri };

        var versions = await http.GetFromJsonAsync<string[]>("/api/versions");

        versions.Should().Equal("v1");
    }

    [Fact]
    public async Task ApiCurrent_WithoutUpgrade_IsBadRequest()
    {
        using var http = new HttpClient { BaseAddress = Daemon.BaseUri };

        var response = await http.GetAsync(new Uri("/api/current", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
