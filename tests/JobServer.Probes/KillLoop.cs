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
/// <remarks>What each job does and what that tells: <see cref="KillLoopWork"/>.</remarks>
public static class KillLoop
{
    public static async Task<ProbeReport> RunAsync(KillLoopOptions options)
    {
        var report = new ProbeReport("kill loop");
        var dataDir = Directory.CreateTempSubdirectory("jobserver-kill-loop").FullName;
        using var work = new KillLoopWork();
        var random = new Random(options.Seed);
        var acknowledged = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var ids = new ConcurrentDictionary<long, string>();
        var started = Stopwatch.GetTimestamp();
        var daemonUp = new DaemonHandle();
        using var stop = new CancellationTokenSource();
        string[] args = ["--JobServer:Exec:Allowed:0=sh"];
        var submitters = Enumerable.Range(0, options.Submitters)
            .Select(i => SubmitAsync(string.Create(CultureInfo.InvariantCulture, $"s{i}"), options.Seed + i + 1,
                daemonUp, random => string.Create(CultureInfo.InvariantCulture, $"kill-loop-{random.Next(options.Locks)}"),
                options.JobSleepSeconds, work, acknowledged, ids, report, stop.Token))
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
            var runs = work.Runs();
            var runTwice = work.RunTwice().ToList();
            foreach (var (token, times) in runTwice)
            {
                report.Violation($"job {acknowledged.GetValueOrDefault(token)} (token {token}) ran {times} times");
            }

            var overlaps = work.Overlaps();
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
        }

        return report;
    }

    /// <summary>
    /// One client: submits a job on a lock <paramref name="lockOf"/> picks, waits for it, again; reconnects after each
    /// kill. Its jobs' tokens are <paramref name="submitter"/>-0, -1, …
    /// </summary>
    internal static async Task SubmitAsync(string submitter, int seed, DaemonHandle daemonUp, Func<Random, string> lockOf,
        string jobSleepSeconds, KillLoopWork work, ConcurrentDictionary<string, long> acknowledged,
        ConcurrentDictionary<long, string> ids, ProbeReport report, CancellationToken stop)
    {
        var random = new Random(seed);
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
                    var token = string.Create(CultureInfo.InvariantCulture, $"{submitter}-{sequence++}");
                    var lockName = lockOf(random);
                    var answer = await client.CallAsync("exec.run", "sh",
                        new[] { "-c", work.Script(lockName, jobSleepSeconds), "kill-loop", token },
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

    /// <summary>
    /// Processes of finished jobs: jobs known terminal first, then the processes holding their <c>job-</c> file
    /// (so a job that ends between the two is not taken for one with an orphan).
    /// </summary>
    private static async Task<int> CountOrphansAsync(DaemonProcess daemon, KillLoopWork work, ProbeReport report)
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
        foreach (var (pid, token) in work.ProcessesOf(terminal))
        {
            orphans++;
            report.Violation($"process {pid} of finished job {token} is still alive");
        }

        return orphans;
    }

    private static async Task DrainAsync(DaemonProcess daemon, ConcurrentDictionary<string, long> acknowledged,
        TimeSpan timeout, ProbeReport report)
    {
        await using var client = await daemon.ConnectAsRootAsync();
        await WaitUntilDrainedAsync(async () => (await client.CallResultAsync("core.get_jobs",
            (object)new object[] { new object[] { "state", "in", new[] { "WAITING", "RUNNING" } } })).GetArrayLength(),
            timeout, report);
    }

    /// <summary>
    /// Waits until <paramref name="unfinished"/> counts no WAITING or RUNNING job, or records a violation after
    /// <paramref name="timeout"/>: how a kill loop ends, whichever way it counts.
    /// </summary>
    internal static async Task WaitUntilDrainedAsync(Func<Task<long>> unfinished, TimeSpan timeout, ProbeReport report)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var left = await unfinished();
            if (left == 0)
            {
                return;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                report.Violation($"{left} job(s) still unfinished {timeout} after the last restart");
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

    internal static void TryDelete(string path)
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
}
