using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobServer.Cli.Agent;

/// <summary>
/// The device's local API behind <c>--forward</c>: performs a task as one HTTP request (<c>method</c> on
/// <c>resource</c> under the forward URL, <c>data</c> as the JSON body) and turns the response into the task's
/// answer. A resource never leaves the forward URL's scheme, host and port.
/// </summary>
internal sealed class AgentDevice(Uri forward, TimeSpan requestTimeout) : IDisposable
{
    /// <summary>The largest response body passed on; a larger one answers 502 (the daemon bounds its messages too).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Performs the task; <paramref name="answering"/> runs once the device's response has begun.</summary>
    public async Task<AgentAnswer> PerformAsync(JsonElement task, Func<Task> answering, CancellationToken cancellationToken)
    {
        var method = task.GetProperty("method").GetString()!.ToUpperInvariant();
        var resource = task.GetProperty("resource").GetString()!;
        var target = new Uri(forward.GetLeftPart(UriPartial.Path).TrimEnd('/') + resource);
        if (target.Scheme != forward.Scheme || target.Authority != forward.Authority)
        {
            return AgentAnswer.Gateway(502, $"{resource} leaves the device's API");
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), target);
        if (task.TryGetProperty("data", out var data) && (method is "POST" or "PUT" ||
                                                          data.ValueKind == JsonValueKind.Object && data.EnumerateObject().Any()))
        {
            request.Content = new StringContent(data.GetRawText(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(requestTimeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            await answering();
            return await AnswerOfAsync(response, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return AgentAnswer.Gateway(504, $"The device did not answer within {requestTimeout.TotalSeconds} s");
        }
        catch (HttpRequestException e)
        {
            return AgentAnswer.Gateway(502, $"The device could not be reached: {e.Message}");
        }
    }

    private static async Task<AgentAnswer> AnswerOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return AgentAnswer.Gateway(502, $"The device answered {status} with more than {MaxBodyBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return new AgentAnswer(status, BodyOf(buffer.ToArray()));
    }

    /// <summary>The body as JSON; text that is not JSON as a string; nothing as null.</summary>
    private static JsonNode? BodyOf(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return JsonValue.Create(Encoding.UTF8.GetString(body));
        }
    }

    public void Dispose() => _http.Dispose();
}
