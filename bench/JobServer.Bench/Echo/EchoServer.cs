using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace JobServer.Bench.Echo;

/// <summary>
/// The ceiling for round trips: bare Kestrel in its own process, answering every text message with one small
/// JSON message of the daemon's shape (<c>{"msg":"result","id":…,"result":"pong"}</c>, or <c>connected</c> for
/// the handshake), parsing only the id. It also serves the transfer ceiling: <c>GET /download/{bytes}</c> streams
/// zeros, <c>POST /upload</c> reads and discards the body, and <c>POST /echo</c> (the Spark scenario's peer) answers
/// <c>{"result":"&lt;the body&gt;"}</c>.
/// </summary>
internal static class EchoServer
{
    private static readonly byte[] Zeros = new byte[256 * 1024];

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/websocket", EchoAsync);
        app.MapGet("/download/{bytes:long}", DownloadAsync);
        app.MapPost("/upload", UploadAsync);
        app.MapPost("/echo", EchoBodyAsync);
        await app.RunAsync();
        return 0;
    }

    private static async Task EchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[16 * 1024];
        var reply = new byte[256];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    return;
                }

                var length = Answer(buffer.AsSpan(0, result.Count), reply);
                await socket.SendAsync(reply.AsMemory(0, length), WebSocketMessageType.Text, true, context.RequestAborted);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away.
        }
    }

    private static int Answer(ReadOnlySpan<byte> message, Span<byte> reply)
    {
        var reader = new Utf8JsonReader(message);
        ReadOnlySpan<byte> id = default;
        var isConnect = false;
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("id"u8);
            var isMsg = reader.ValueTextEquals("msg"u8);
            reader.Read();
            if (isId)
            {
                id = reader.ValueSpan;
            }
            else if (isMsg)
            {
                isConnect = reader.ValueTextEquals("connect"u8);
            }
            else
            {
                reader.Skip();
            }
        }

        if (isConnect)
        {
            """{"msg":"connected","session":"echo"}"""u8.CopyTo(reply);
            return """{"msg":"connected","session":"echo"}"""u8.Length;
        }

        var length = 0;
        Append(reply, ref length, "{\"msg\":\"result\",\"id\":\""u8);
        Append(reply, ref length, id);
        Append(reply, ref length, "\",\"result\":\"pong\"}"u8);
        return length;
    }

    private static void Append(Span<byte> target, ref int length, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(target[length..]);
        length += bytes.Length;
    }

    private static async Task DownloadAsync(HttpContext context, long bytes)
    {
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = bytes;
        for (var left = bytes; left > 0; left -= Zeros.Length)
        {
            await context.Response.Body.WriteAsync(Zeros.AsMemory(0, (int)Math.Min(left, Zeros.Length)), context.RequestAborted);
        }
    }

    /// <summary>The body read whole (a sync job's config is small), written back as one JSON string.</summary>
    private static async Task EchoBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("result"u8, body);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static async Task UploadAsync(HttpContext context)
    {
        var buffer = new byte[256 * 1024];
        long total = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            total += read;
        }

        await context.Response.WriteAsync(total.ToString(CultureInfo.InvariantCulture));
    }
}
