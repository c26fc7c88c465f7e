using System.Diagnostics;
using System.Net;
using JobServer.Bench.Infrastructure;
using JobServer.Bench.Reporting;

namespace JobServer.Bench.Scenarios;

/// <summary>
/// 5. File transfers. The ceiling is a plain loopback HTTP copy through Kestrel (the echo process streams zeros
/// and discards uploads). The daemon side waits for <c>/_upload</c> and <c>/_download</c>; until they exist it is
/// reported as skipped, never as a made-up figure.
/// </summary>
internal sealed class TransferScenario : IScenario
{
    public string Number => "5";

    public string Name => "transfers";

    public string Title => "Transfers (HTTP upload and download)";

    public async Task RunAsync(BenchSettings settings, ScenarioResult result)
    {
        var bytes = settings.TransferBytes;
        result.Notes.Add($"Ceiling: {bytes >> 20:N0} MiB over loopback HTTP/1.1 to bare Kestrel (`GET /download/{{bytes}}` writes zeros in 256 KiB chunks; `POST /upload` reads and discards), HttpClient on the other side.");

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        await using var echo = await ServerProcess.StartEchoAsync();
        var download = await Outcomes.TryAsync(settings, () => Rounds.MeasureAsync(settings, "MiB/s", async () =>
            new Rounds.Sample(await DownloadAsync(http, new Uri(echo.BaseUri, $"/download/{bytes}"), bytes))));
        var upload = await Outcomes.TryAsync(settings, () => Rounds.MeasureAsync(settings, "MiB/s", async () =>
            new Rounds.Sample(await UploadAsync(http, new Uri(echo.BaseUri, "/upload"), bytes))));

        await using var daemon = await ServerProcess.StartDaemonAsync();
        var ours = await DaemonSideAsync(http, daemon);
        result.Rows.Add(new Row($"download {bytes >> 20:N0} MiB", ours, "loopback HTTP copy (Kestrel)", download));
        result.Rows.Add(new Row($"upload {bytes >> 20:N0} MiB", ours, "loopback HTTP copy (Kestrel)", upload));
        Console.WriteLine($"  ceiling: download {download.ValueText}, upload {upload.ValueText}; JobServer: {ours.ValueText}");
    }

    private static async Task<Figure> DaemonSideAsync(HttpClient http, ServerProcess daemon)
    {
        using var probe = await http.PostAsync(new Uri(daemon.BaseUri, "/_upload"), new ByteArrayContent([]));
        return probe.StatusCode == HttpStatusCode.NotFound
            ? Figure.Skipped("not available until /_upload and /_download exist")
            : Figure.Skipped("/_upload exists now: extend bench TransferScenario to drive a job with pipes");
    }

    private static async Task<double> DownloadAsync(HttpClient http, Uri uri, long bytes)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[256 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        if (total != bytes)
        {
            throw new InvalidOperationException($"downloaded {total} of {bytes} bytes");
        }

        return bytes / 1048576.0 / (Stats.Ms(started, Stopwatch.GetTimestamp()) / 1000);
    }

    private static async Task<double> UploadAsync(HttpClient http, Uri uri, long bytes)
    {
        var started = Stopwatch.GetTimestamp();
        using var content = new StreamContent(new ZeroStream(bytes), 256 * 1024);
        content.Headers.ContentLength = bytes;
        using var response = await http.PostAsync(uri, content);
        response.EnsureSuccessStatusCode();
        return bytes / 1048576.0 / (Stats.Ms(started, Stopwatch.GetTimestamp()) / 1000);
    }
}
