using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace JobServer.IntegrationTests.Support;

/// <summary>HTTP helpers for <c>/_download</c> and <c>/_upload</c>.</summary>
public static class Transfer
{
    public static HttpClient Client(Uri baseUri) => new() { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(5) };

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>A multipart upload with the given parts, in the given order.</summary>
    public static MultipartFormDataContent Multipart(params (string Name, HttpContent Content)[] parts)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, part) in parts)
        {
            if (part is StreamContent or ByteArrayContent && part is not StringContent)
            {
                content.Add(part, name, "upload.bin");
            }
            else
            {
                content.Add(part, name);
            }
        }

        return content;
    }

    /// <summary>Posts an upload signed in with Basic credentials (root's by default).</summary>
    public static async Task<HttpResponseMessage> UploadAsync(Uri baseUri, HttpContent content, string user = "root",
        string password = Daemon.RootPassword, string path = "/_upload")
    {
        using var http = Client(baseUri);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = Basic(user, password);
        return await http.SendAsync(request);
    }

    public static StringContent Data(string method, params object[] parameters) =>
        new(JsonSerializer.Serialize(new { method, @params = parameters }));

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>Starts a download with <c>core.download</c>; returns the job id and the URL.</summary>
    public static async Task<(long JobId, string Url)> OfferAsync(DdpClient client, string method, object[] args,
        string filename, bool buffered = false)
    {
        var pair = await client.CallResultAsync("core.download", method, args, filename, buffered);
        return (pair[0].GetInt64(), pair[1].GetString()!);
    }

    /// <summary>How many jobs the daemon has (any state): a refused upload must not add one.</summary>
    public static async Task<int> JobCountAsync(DdpClient client) =>
        (await client.CallResultAsync("core.get_jobs")).GetArrayLength();

    /// <summary>The pattern <c>testjobs.produce</c> writes.</summary>
    public static byte[] Pattern(int bytes) => Enumerable.Range(0, bytes).Select(i => (byte)(i % 251)).ToArray();
}
