using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace JobServer.Probes;

/// <summary>
/// Issue 12's kill loop: a daemon process with clients submitting <c>exec.run</c> jobs on shared locks is killed
/// with SIGKILL at random points and restarted on the same data directory, again and again. The promises: no
/// acknowledged job is lost (every id a client got back exists after the restarts, as the job it was), none runs
/// twice, no id is handed out twice, no process of a finished job lives (no orphan), and no two jobs ever hold a
/// lock at once.
/// </summary>
/// <remarks>
/// Each job runs <c>sh</c>, which appends its token to <c>runs</c> (run twice = a token twice), keeps a file
/// <c>job-&lt;token&gt;</c> open (every process of the job inherits it: a live process holding it is a process of
/// that job) and takes <c>flock -n</c> on its lock's file: the lock is held by every process of the job, its
/// grandchildren included, until the last dies, so a job that finds it taken records an overlap.
/// </remarks>
public static class KillLoop
{
    public static async Task<ProbeReport> RunAsync(KillLoopOptions options)
    {
        var report = new ProbeReport("kill loop");
        var dataDir = Directory.CreateTempSubdirectory("jobserver-kill-loop").FullName;
        var work = Directory.CreateTempSubdirectory("jobserver-kill-loop-work").FullName;
        var random = new Random(options.Seed);
        var acknowledged = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var ids = new ConcurrentDictionary<long, string>();
        var started = Stopwatch.GetTimestamp();
        var daemonUp = new DaemonHandle();
        using var stop = new CancellationTokenSource();
        string[] args = ["--JobServer:Exec:Allowed:0=sh"];
        var submitters = Enumerable.Range(0, options.Submitters)
            .Select(i => SubmitAsync(i, daemonUp, options, work, acknowledged, ids, report, stop.Token))
            .ToList();
        var orphans = 0;
        var daemon = await DaemonProcess.StartAsync(dataDir, args);
        try
        {
            for (var kill = 0; kill < options.Kills; kill++)
            {
                daemonUp.Set(daemon);
                var run = options.MinRunBeforeKill +
                          ((options.MaxRunBeforeKill - options.MinRunBeforeKill) * random.NextDouble());
                await Task.Delay(run);
                daemonUp.Clear();
                await daemon.CrashAsync();
                await daemon.DisposeAsync();
                daemon = await DaemonProcess.StartAsync(dataDir, args);
                orphans += await CountOrphansAsync(daemon, work, report);
            }

            daemonUp.Set(daemon);
            await stop.CancelAsync();
            await Task.WhenAll(submitters);
            await DrainAsync(daemon, acknowledged, options.DrainTimeout, report);
            orphans += await CountOrphansAsync(daemon, work, report);
            var (lost, reused) = await CheckAcknowledgedAsync(daemon, acknowledged, report);
            var runs = File.Exists(Path.Combine(work, "runs")) ? File.ReadAllLines(Path.Combine(work, "runs")) : [];
            var runTwice = runs.GroupBy(t => t, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
            foreach (var twice in runTwice)
            {
                report.Violation($"job {acknowledged.GetValueOrDefault(twice.Key)} (token {twice.Key}) ran {twice.Count()} times");
            }

            var overlaps = File.Exists(Path.Combine(work, "overlaps")) ? File.ReadAllLines(Path.Combine(work, "overlaps")) : [];
            foreach (var overlap in overlaps)
            {
                report.Violation($"job with token {overlap} found its lock held by another job's process");
            }

            report.AddFigure("kills", options.Kills, "kills");
            report.AddFigure("jobs acknowledged", acknowledged.Count, "jobs");
            report.AddFigure("jobs run", runs.Length, "runs");
            report.AddFigure("acknowledged jobs lost", lost, "jobs");
            report.AddFigure("jobs run twice", runTwice.Count, "jobs");
            report.AddFigure("ids handed out twice", reused, "ids");
            report.AddFigure("orphaned processes", orphans, "processes");
            report.AddFigure("lock overlaps", overlaps.Length, "overlaps");
            report.AddFigure("wall time", Stopwatch.GetElapsedTime(started).TotalSeconds, "s");
        }
        finally
        {
            await stop.CancelAsync();
            await daemon.DisposeAsync();
            TryDelete(dataDir);
            TryDelete(work);
        }

        return report;
    }

    /// <summary>One client: submits a job on a random lock, waits for it, again; reconnects after each kill.</summary>
    private static async Task SubmitAsync(int submitter, DaemonHandle daemonUp, KillLoopOptions options, string work,
        ConcurrentDictionary<string, long> acknowledged, ConcurrentDictionary<long, string> ids, ProbeReport report,
        CancellationToken stop)
    {
        var random = new Random(options.Seed + submitter + 1);
        var sequence = 0;
        while (!stop.IsCancellationRequested)
        {
            var daemon = await daemonUp.WaitAsync(stop);
            if (daemon is null)
            {
                return;
            }

            try
            {
                await using var client = await daemon.ConnectAsRootAsync();
                while (!stop.IsCancellationRequested)
                {
                    var token = string.Create(CultureInfo.InvariantCulture, $"s{submitter}-{sequence++}");
                    var lockName = string.Create(CultureInfo.InvariantCulture, $"kill-loop-{random.Next(options.Locks)}");
                    var answer = await client.CallAsync("exec.run", "sh",
                        new[] { "-c", Script(work, lockName, options.JobSleepSeconds), "kill-loop", token },
                        new { @lock = lockName });
                    if (answer.TryGetProperty("error", out var error))
                    {
                        report.Violation($"exec.run was refused: {error}");
                        continue;
                    }

                    var id = answer.GetProperty("result").GetInt64();
                    acknowledged[token] = id;
                    if (!ids.TryAdd(id, token))
                    {
                        report.Violation($"job id {id} was handed out for {ids[id]} and again for {token}");
                    }

                    await client.CallAsync("core.job_wait", id);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or ObjectDisposedException or
                                          System.Net.WebSockets.WebSocketException or IOException or
                                          System.Net.Http.HttpRequestException)
            {
                // The daemon was killed under us: wait for the next one.
                await daemonUp.WaitChangedAsync(daemon, stop);
            }
        }
    }

    private static string Script(string work, string lockName, string sleepSeconds) =>
        $"d='{work}'; t=$1; exec 8>>\"$d/job-$t\"; exec 9>>\"$d/lock-{lockName}\"; " +
        "flock -n 9 || echo \"$t\" >> \"$d/overlaps\"; echo \"$t\" >> \"$d/runs\"; " +
        $"sleep {sleepSeconds}";

    /// <summary>
    /// Processes of finished jobs: jobs known terminal first, then the processes holding their <c>job-</c> file
    /// (so a job that ends between the two is not taken for one with an orphan).
    /// </summary>
    private static async Task<int> CountOrphansAsync(DaemonProcess daemon, string work, ProbeReport report)
    {
        await using var client = await daemon.ConnectAsRootAsync();
        var terminal = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in await QueryAllAsync(client, new object[]
                 {
                     new object[] { "method", "=", "exec.run" },
                     new object[] { "state", "in", new[] { "SUCCESS", "FAILED", "ABORTED" } },
                 }))
        {
            terminal.Add(TokenOf(job));
        }

        var orphans = 0;
        foreach (var (pid, path) in ProcessTable.OpenFilesUnder(work))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith("job-", StringComparison.Ordinal) && terminal.Contains(name["job-".Length..]))
            {
                orphans++;
                report.Violation($"process {pid} of finished job {name["job-".Length..]} is still alive");
            }
        }

        return orphans;
    }

    private static async Task DrainAsync(DaemonProcess daemon, ConcurrentDictionary<string, long> acknowledged,
        TimeSpan timeout, ProbeReport report)
    {
        await using var client = await daemon.ConnectAsRootAsync();
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var unfinished = (await client.CallResultAsync("core.get_jobs",
                (object)new object[] { new object[] { "state", "in", new[] { "WAITING", "RUNNING" } } })).GetArrayLength();
            if (unfinished == 0)
            {
                return;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                report.Violation($"{unfinished} job(s) still unfinished {timeout} after the last restart");
                return;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Every acknowledged id must exist and be the job it was acknowledged for.</summary>
    private static async Task<(int Lost, int Reused)> CheckAcknowledgedAsync(DaemonProcess daemon,
        ConcurrentDictionary<string, long> acknowledged, ProbeReport report)
    {
        await using var client = await daemon.ConnectAsRootAsync();
        var lost = 0;
        var reused = 0;
        foreach (var chunk in acknowledged.OrderBy(a => a.Value).Chunk(100))
        {
            var found = (await client.CallResultAsync("core.get_jobs",
                    (object)new object[] { new object[] { "id", "in", chunk.Select(a => a.Value).ToArray() } }))
                .EnumerateArray().ToDictionary(j => j.GetProperty("id").GetInt64(), TokenOf);
            foreach (var (token, id) in chunk)
            {
                if (!found.TryGetValue(id, out var stored))
                {
                    lost++;
                    report.Violation($"acknowledged job {id} (token {token}) is gone after the restarts");
                }
                else if (stored != token)
                {
                    reused++;
                    report.Violation($"acknowledged job {id} (token {token}) is now another job (token {stored})");
                }
            }
        }

        return (lost, reused);
    }

    /// <summary>
    /// Every job that matches, in pages (a long run's history would not fit in one WebSocket message of the test
    /// client), with only the fields the checks read.
    /// </summary>
    private static async Task<List<JsonElement>> QueryAllAsync(DdpClient client, object[] filters)
    {
        const int Page = 200;
        var jobs = new List<JsonElement>();
        while (true)
        {
            var page = await client.CallResultAsync("core.get_jobs", filters,
                new { order_by = new[] { "id" }, offset = jobs.Count, limit = Page, select = new[] { "id", "arguments" } });
            jobs.AddRange(page.EnumerateArray());
            if (page.GetArrayLength() < Page)
            {
                return jobs;
            }
        }
    }

    /// <summary>The token is the last argument of the job's <c>sh -c</c>.</summary>
    private static string TokenOf(JsonElement job)
    {
        var shellArguments = job.GetProperty("arguments")[1];
        return shellArguments[shellArguments.GetArrayLength() - 1].GetString() ?? "";
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The daemon that is up now, if any: submitters wait for one, and for the next after a kill.</summary>
    private sealed class DaemonHandle
    {
        private readonly Lock _gate = new();
        private TaskCompletionSource<DaemonProcess> _up = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Set(DaemonProcess daemon)
        {
            lock (_gate)
            {
                if (!_up.TrySetResult(daemon))
                {
                    _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    _up.SetResult(daemon);
                }
            }
        }

        public void Clear()
        {
            lock (_gate)
            {
                _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public async Task<DaemonProcess?> WaitAsync(CancellationToken stop)
        {
            Task<DaemonProcess> up;
            lock (_gate)
            {
                up = _up.Task;
            }

            try
            {
                return await up.WaitAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        /// <summary>Waits until a daemon other than <paramref name="gone"/> is up (or the run stops).</summary>
        public async Task WaitChangedAsync(DaemonProcess gone, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested && await WaitAsync(stop) is { } current && ReferenceEquals(current, gone))
            {
                await Task.Delay(50, CancellationToken.None);
            }
        }
    }
}
