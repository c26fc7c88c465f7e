using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace JobServer.Client;

public sealed partial class JobServerClient
{
    private const int CopyBufferBytes = 128 * 1024;

    /// <summary>
    /// Streams <paramref name="content"/> into a job method with an input pipe (<c>POST /_upload</c>), waits for the
    /// job and returns its result. Nothing is buffered: memory stays flat whatever the size.
    /// </summary>
    /// <remarks>The upload signs in with a single-use token made by this session (<c>auth.generate_token</c>), so
    /// the password or key is never sent twice.</remarks>
    /// <exception cref="JobServerCallException">The daemon refused the upload (its HTTP error's errno).</exception>
    /// <exception cref="JobServerJobException">The job failed.</exception>
    public async Task<T> UploadAsync<T>(string method, IReadOnlyList<object?>? args, Stream content,
        IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var token = await TransferTokenAsync(cancellationToken);
        var data = new StringContent(UploadData(method, args ?? []), Encoding.UTF8);
        data.Headers.ContentType = null;
        using var file = new StreamContent(new ProgressStream(content, progress), CopyBufferBytes);
        using var body = new MultipartFormDataContent { { data, "data" }, { file, "file", "upload" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_upload") { Content = body };
        request.Headers.Authorization = new AuthenticationHeaderValue("Token", token);
        using var response = await _http.Value.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await TransferError.ReadAsync(method, response, cancellationToken);
        }

        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var jobId = answer.RootElement.GetProperty("job_id").GetInt64();
        return Convert<T>(await JobWaitAsync(jobId, cancellationToken));
    }

    /// <summary>
    /// Runs a job method with an output pipe through <c>core.download</c> and streams what it writes into
    /// <paramref name="destination"/>; returns the byte count once the job has ended successfully.
    /// </summary>
    /// <exception cref="JobServerJobException">The job failed (also when it failed in the middle of the download).</exception>
    public async Task<long> DownloadAsync(string method, IReadOnlyList<object?>? args, Stream destination,
        IProgress<TransferProgress>? progress = null, string filename = "download",
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var offer = await CallAsync<JsonElement>("core.download", [method, args ?? [], filename], cancellationToken);
        var jobId = offer[0].GetInt64();
        using var response = await _http.Value.GetAsync(offer[1].GetString(), HttpCompletionOption.ResponseHeadersRead,
            cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await TransferError.ReadAsync(method, response, cancellationToken);
        }

        var total = response.Content.Headers.ContentLength;
        long copied = 0;
        try
        {
            await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[CopyBufferBytes];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                copied += read;
                progress?.Report(new TransferProgress(copied, total));
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // The daemon cuts a download whose job failed: the job's error says why, better than "connection reset".
            await JobWaitAsync(jobId, cancellationToken);
            throw;
        }

        await JobWaitAsync(jobId, cancellationToken);
        return copied;
    }

    /// <summary>
    /// Opens a download URL the daemon handed out (<c>core.job_download_logs</c>, <c>core.download</c>'s second
    /// element), relative to the daemon, as a stream; on the Unix socket it goes over the socket too.
    /// </summary>
    /// <exception cref="JobServerCallException">The daemon refused it (the HTTP error's errno).</exception>
    public async Task<Stream> OpenDownloadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var response = await _http.Value.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await TransferError.ReadAsync(path, response, cancellationToken);
            }
        }

        return await response.Content.ReadAsStreamAsync(cancellationToken);
    }

    private Task<string> TransferTokenAsync(CancellationToken cancellationToken) =>
        // Single use, 5 minutes; bound to this client's address over TCP (a Unix socket has none to bind to).
        CallAsync<string>("auth.generate_token",
            [300, new System.Text.Json.Nodes.JsonObject(), _endpoint.UnixSocketPath is null, true], cancellationToken);

    private string UploadData(string method, IReadOnlyList<object?> args)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("method", method);
            writer.WritePropertyName("params");
            WireDialect.WriteArray(writer, args, _options.SerializerOptions);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
