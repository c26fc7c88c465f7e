using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using JobServer.Bench.Infrastructure;
using JobServer.Bench.Peers;
using JobServer.Bench.Reporting;

namespace JobServer.Bench.Scenarios;

/// <summary>
/// 5. File transfers through jobs: <c>POST /_upload</c> into <c>exec.run</c> of <c>wc -c</c> reading the job's
/// input pipe, and <c>core.download</c> + <c>GET /_download</c> of <c>cat</c> writing its output pipe, against a
/// plain loopback HTTP copy of the same bytes through bare Kestrel (the ceiling); and the daemon's peak memory
/// growth while it moves them, which must stay far below the size of the file.
/// </summary>
internal sealed class TransferScenario : IScenario
{
    private const long MemoryGoalBytes = 64L << 20;

    public string Number => "5";

    public string Name => "transfers";

    public string Title => "Transfers (HTTP upload and download through a job)";

    public async Task RunAsync(BenchSettings settings, ScenarioResult result)
    {
        var bytes = settings.TransferBytes;
        var mib = $"{bytes >> 20:N0} MiB";
        result.Notes.Add($"JobServer upload: `POST /_upload` (Basic auth), multipart `data` = `{{\"method\": \"exec.run\", \"params\": [\"wc\", [\"-c\"]]}}` then `file` = {mib} of zeros; timed from the request's start to `core.job_wait` returning the job's result, whose `wc -c` count must equal the size.");
        result.Notes.Add($"JobServer download: `core.download(\"exec.run\", [\"cat\", [\"<temp>/zeros.bin\"]], \"zeros.bin\")` (a sparse {mib} file: zeros from the page cache, no disk), then `GET` of the URL it returns; timed from the call to the last byte, and every byte counted.");
        result.Notes.Add($"Ceiling: {mib} over loopback HTTP/1.1 to bare Kestrel (`GET /download/{{bytes}}` writes zeros in 256 KiB chunks; `POST /upload` reads and discards), HttpClient on the other side. Both sides stream in 256 KiB reads and writes; upload and download rounds of daemon and ceiling alternate.");
        result.Notes.Add("Second ceiling, the command alone: the harness runs the same `cat` or `wc -c` and reads its stdout (or writes its stdin) itself, with the 1 MiB pipe buffer the daemon also sets (F_SETPIPE_SZ) — what any job server running that command could reach.");
        result.Notes.Add("Memory: the daemon's VmHWM (peak resident set) is reset after the download warm-up (`/proc/<pid>/clear_refs`), and its growth over the VmRSS at that moment is read after every measured transfer: the peak growth while moving the bytes.");

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        await using var echo = await ServerProcess.StartEchoAsync();
        using var commands = new TransferCommands(bytes);
        await using var daemon = await ServerProcess.StartDaemonAsync(["--JobServer:Exec:Allowed:0=cat", "--JobServer:Exec:Allowed:1=wc"]);
        await using var client = await DdpBenchClient.ConnectAsync(daemon.WebSocketUri);
        await client.LoginAsync();
        var jobs = new DaemonTransfers(http, daemon, client, commands);
        var down = new Direction("download", jobs.DownloadAsync,
            () => DownloadAsync(http, new Uri(echo.BaseUri, $"/download/{bytes}"), bytes),
            () => ProcessPipeCeiling.DownloadAsync(commands), "the command alone, read by the harness",
            daemon.ProcessId, echo.ProcessId);
        var up = new Direction("upload", jobs.UploadAsync,
            () => UploadAsync(http, new Uri(echo.BaseUri, "/upload"), bytes),
            () => ProcessPipeCeiling.UploadAsync(commands), "the command alone, fed by the harness",
            daemon.ProcessId, echo.ProcessId);
        var download = await MeasureAsync(settings, result, down, bytes, afterWarmUp: jobs.OpenMemoryWindow);
        var upload = await MeasureAsync(settings, result, up, bytes);
        foreach (var (name, figure) in new[] { ("download", download), ("upload", upload) })
        {
            if (figure.Missing is not null)
            {
                result.Rows.Add(new Row($"{name} {mib}", figure));
            }
        }

        var growth = jobs.PeakGrowthBytes is { } peak
            ? new Figure(peak / 1048576.0, "MiB", settings.Rounds * 2)
            : Figure.Skipped("/proc/<pid>/clear_refs is not writable here");
        result.Rows.Add(new Row($"daemon peak memory growth, {mib} transfers", growth, "goal",
            new Figure(MemoryGoalBytes / 1048576.0, "MiB", 0)));
        Console.WriteLine($"  download {download.ValueText}, upload {upload.ValueText}, peak memory growth {growth.ValueText}");
        Console.WriteLine($"  CPU per MiB down: {down.OursCpu.Describe()} (ceiling: {down.CeilingCpu.Describe()}); up: {up.OursCpu.Describe()} (ceiling: {up.CeilingCpu.Describe()})");
        result.Notes.Add($"CPU time per MiB over the measured rounds (\"its commands\" is the `cat` or `wc` the daemon ran, from the daemon's cutime + cstime; the daemon's own figure leaves them out): download: {down.OursCpu.Describe()}, ceiling: {down.CeilingCpu.Describe()}; upload: {up.OursCpu.Describe()}, ceiling: {up.CeilingCpu.Describe()}.");
    }

    /// <summary>
    /// One direction of the transfers: the daemon's transfer against the HTTP copy (alternating rounds, each with
    /// its CPU time per MiB), then against the command alone. Adds its rows; returns the daemon's figure.
    /// </summary>
    private static Task<Figure> MeasureAsync(BenchSettings settings, ScenarioResult result, Direction direction, long bytes,
        Action? afterWarmUp = null)
    {
        var mebibytes = bytes >> 20;
        var label = $"{direction.Name} {mebibytes:N0} MiB";
        return Outcomes.TryAsync(settings, async () =>
        {
            var (ours, ceiling) = await Rounds.MeasurePairAsync(settings, "MiB/s",
                () => Metered(direction.OursCpu, mebibytes, direction.Ours),
                () => Metered(direction.CeilingCpu, mebibytes, direction.Ceiling),
                afterWarmUp: () =>
                {
                    afterWarmUp?.Invoke();
                    direction.OursCpu.Reset();
                    direction.CeilingCpu.Reset();
                });
            result.Rows.Add(new Row(label, ours, "loopback HTTP copy (Kestrel)", ceiling));
            var command = await Rounds.MeasureAsync(settings, "MiB/s", async () => new Rounds.Sample(await direction.Command()));
            result.Rows.Add(new Row(label, ours, direction.CommandCeiling, command));
            return ours;
        });
    }

    /// <summary>A transfer direction's three measurements (each a MiB/s rate) and the CPU meters of the first two.</summary>
    private sealed class Direction(
        string name, Func<Task<double>> ours, Func<Task<double>> ceiling, Func<Task<double>> command,
        string commandCeiling, int daemonProcessId, int ceilingProcessId)
    {
        public string Name => name;

        public Func<Task<double>> Ours => ours;

        public Func<Task<double>> Ceiling => ceiling;

        public Func<Task<double>> Command => command;

        public string CommandCeiling => commandCeiling;

        public CpuMeter OursCpu { get; } = new(daemonProcessId);

        public CpuMeter CeilingCpu { get; } = new(ceilingProcessId, "server");
    }

    /// <summary>Runs a round (a rate) with its CPU time charged to <paramref name="meter"/>, per MiB moved.</summary>
    private static async Task<Rounds.Sample> Metered(CpuMeter meter, long mebibytes, Func<Task<double>> round)
    {
        using var measuring = meter.Measure(mebibytes);
        return new Rounds.Sample(await round());
    }

    /// <summary>Downloads <paramref name="bytes"/> from the ceiling; MiB/s.</summary>
    private static async Task<double> DownloadAsync(HttpClient http, Uri uri, long bytes)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await DrainAsync(response, bytes);
        return Rate(bytes, started);
    }

    /// <summary>Uploads <paramref name="bytes"/> to the ceiling; MiB/s.</summary>
    private static async Task<double> UploadAsync(HttpClient http, Uri uri, long bytes)
    {
        var started = Stopwatch.GetTimestamp();
        using var content = new StreamContent(new ZeroStream(bytes), ChunkBytes);
        content.Headers.ContentLength = bytes;
        using var response = await http.PostAsync(uri, content);
        response.EnsureSuccessStatusCode();
        return Rate(bytes, started);
    }

    private const int ChunkBytes = 256 * 1024;

    private static double Rate(long bytes, long started) =>
        bytes / 1048576.0 / (Stats.Ms(started, Stopwatch.GetTimestamp()) / 1000);

    /// <summary>Reads a response body to its end; throws unless it held exactly <paramref name="bytes"/> bytes.</summary>
    private static async Task DrainAsync(HttpResponseMessage response, long bytes)
    {
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[ChunkBytes];
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
    }

    /// <summary>The daemon's side: transfers through <c>exec.run</c> jobs, and the memory they cost.</summary>
    private sealed class DaemonTransfers(HttpClient http, ServerProcess daemon, DdpBenchClient client, TransferCommands commands)
    {
        private readonly long _bytes = commands.Bytes;
        private long? _baselineKiB;
        private long _peakGrowthKiB;
        private bool _peakReadable = true;

        public long? PeakGrowthBytes => _baselineKiB is null || !_peakReadable ? null : _peakGrowthKiB * 1024;

        public async Task<double> DownloadAsync()
        {
            var started = Stopwatch.GetTimestamp();
            var command = JsonSerializer.Serialize(new object[] { commands.Download.Executable, commands.Download.Args });
            var offer = (await client.CallAsync("core.download", $"[\"exec.run\", {command}, \"zeros.bin\"]"))
                .EnsureSuccess("core.download");
            var url = JsonDocument.Parse(offer.Raw!).RootElement[1].GetString()!;
            using var response = await http.GetAsync(new Uri(daemon.BaseUri, url), HttpCompletionOption.ResponseHeadersRead);
            await EnsureOkAsync(response, "GET /_download");
            await DrainAsync(response, _bytes);
            var rate = Rate(_bytes, started);
            ReadPeak();
            return rate;
        }

        public async Task<double> UploadAsync()
        {
            var started = Stopwatch.GetTimestamp();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(daemon.BaseUri, "/_upload"));
            using var file = new StreamContent(new ZeroStream(_bytes), ChunkBytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            request.Content = new MultipartFormDataContent
            {
                { new StringContent(JsonSerializer.Serialize(new { method = "exec.run", @params = new object[] { commands.Upload.Executable, commands.Upload.Args } })), "data" },
                { file, "file", "zeros.bin" },
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"root:{ServerProcess.RootPassword}")));
            using var response = await http.SendAsync(request);
            await EnsureOkAsync(response, "POST /_upload");
            var jobId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("job_id").GetInt64();
            var outcome = (await client.CallAsync("core.job_wait", $"[{jobId}]")).EnsureSuccess("core.job_wait");
            commands.CheckCount(JsonDocument.Parse(outcome.Raw!).RootElement.GetProperty("stdout_tail").GetString());

            var rate = Rate(_bytes, started);
            ReadPeak();
            return rate;
        }

        private static async Task EnsureOkAsync(HttpResponseMessage response, string what)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var body = await response.Content.ReadAsStringAsync();
                throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {body}");
            }
        }

        /// <summary>
        /// Called once the first warm-up is over (the daemon has compiled its transfer path and grown its pools):
        /// from here on, the peak over this resident size is what the transfers cost.
        /// </summary>
        public void OpenMemoryWindow()
        {
            _baselineKiB = daemon.ResidentKiB;
            _peakReadable = ProcessMemory.ResetPeak(daemon.ProcessId);
        }

        private void ReadPeak()
        {
            if (_baselineKiB is { } baseline && ProcessMemory.PeakKiB(daemon.ProcessId) is { } peak)
            {
                _peakGrowthKiB = Math.Max(_peakGrowthKiB, peak - baseline);
            }
        }
    }
}
