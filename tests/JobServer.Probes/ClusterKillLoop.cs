using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace JobServer.Probes;

/// <summary>
/// Issue 18's failover loop: two daemons on one PostgreSQL database, clients submitting <c>exec.run</c> jobs on named
/// locks to each, and one node after the other killed with SIGKILL while it runs jobs and holds their locks, then
/// started again once the other has taken it over. The promises: within <see cref="ClusterKillLoopOptions.FailoverBound"/>
/// of each death the jobs it was running are FAILED with "node … stopped while the job was running"; its waiting
/// jobs run on the survivor in order; no acknowledged job is lost, none runs twice (0 duplicated completions), no two
/// jobs of a lock overlap, no process of a finished job lives.
/// </summary>
/// <remarks>
/// Named locks are per node (cluster-wide locks are not built yet), so each node's jobs use locks named after the
/// node and its incarnation: the survivor that adopts a dead node's queue holds those locks alone, and the node's next
/// incarnation does not share them. Everything is checked in the shared database, which every node writes.
/// </remarks>
public static class ClusterKillLoop
{
    private static readonly string[] Names = ["node-a", "node-b"];

    public static async Task<ProbeReport> RunAsync(ClusterKillLoopOptions options)
    {
        var report = new ProbeReport("cluster failover loop");
        var root = Directory.CreateTempSubdirectory("jobserver-cluster-kill-loop").FullName;
        var database = TestDatabases.CreateOn(options.Server, root);
        await using var db = NpgsqlDataSource.Create(database);
        using var work = new KillLoopWork();
        var random = new Random(options.Seed);
        var acknowledged = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var ids = new ConcurrentDictionary<long, string>();
        var failovers = new List<double>();
        var runningAtKills = 0;
        var stoppedThemselves = 0;
        var started = Stopwatch.GetTimestamp();
        using var stop = new CancellationTokenSource();
        var nodes = Names.Select(name => new Node(name, Path.Combine(root, name), database, options)).ToArray();
        var submitters = new List<Task>();
        try
        {
            foreach (var node in nodes)
            {
                await node.StartAsync();
                for (var i = 0; i < options.SubmittersPerNode; i++)
                {
                    submitters.Add(KillLoop.SubmitAsync(
                        string.Create(CultureInfo.InvariantCulture, $"{node.Name}-s{i}"), options.Seed + submitters.Count + 1,
                        node.Up, pick => node.LockName(pick.Next(options.LocksPerNode)), options.JobSleepSeconds, work,
                        acknowledged, ids, report, stop.Token));
                }
            }

            for (var kill = 0; kill < options.Kills; kill++)
            {
                var victim = nodes[kill % nodes.Length];
                await Task.Delay(options.MinRunBeforeKill +
                                 ((options.MaxRunBeforeKill - options.MinRunBeforeKill) * random.NextDouble()));
                // A node that missed its heartbeats for the node timeout (a starved machine) was declared dead by
                // the other and stopped itself at the fence (exit 75): counted, and started again, as systemd would.
                foreach (var node in nodes.Where(n => n.StoppedByItself))
                {
                    stoppedThemselves++;
                    await node.RestartAfterFenceAsync();
                }

                var killed = await victim.KillAsync();
                var running = await IdsAsync(db, "SELECT \"Id\" FROM jobs WHERE \"Node\" = @node AND \"State\" = 'RUNNING'",
                    victim.Name);
                runningAtKills += running.Count;
                var survivor = nodes[(kill + 1) % nodes.Length];
                if (await SettleAsync(db, victim.Name, survivor, running, killed, options, report) is { } seconds)
                {
                    failovers.Add(seconds);
                }
                else
                {
                    stoppedThemselves++; // the survivor was fenced meanwhile: no live node was left to take over
                }

                await victim.StartAsync();
            }

            await stop.CancelAsync();
            await Task.WhenAll(submitters);
            await DrainAsync(db, options.DrainTimeout, report);
            var (lost, reused, finished) = await CheckAcknowledgedAsync(db, acknowledged, report);
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

            var orphans = work.ProcessesOf(finished).ToList();
            foreach (var (pid, token) in orphans)
            {
                report.Violation($"process {pid} of finished job {token} is still alive");
            }

            failovers.Sort();
            report.AddFigure("kills", options.Kills, "kills");
            report.AddFigure("jobs acknowledged", acknowledged.Count, "jobs");
            report.AddFigure("jobs run", runs.Length, "runs");
            report.AddFigure("jobs running at a kill (FAILED by the takeover)", runningAtKills, "jobs");
            report.AddFigure("acknowledged jobs lost", lost, "jobs");
            report.AddFigure("duplicated completions (jobs run twice)", runTwice.Count, "jobs");
            report.AddFigure("ids handed out twice", reused, "ids");
            report.AddFigure("lock overlaps", overlaps.Length, "overlaps");
            report.AddFigure("orphaned processes", orphans.Count, "processes");
            report.AddFigure("nodes declared dead while alive (stopped themselves at the fence)", stoppedThemselves, "nodes");
            if (failovers.Count > 0)
            {
                report.AddFigure("failover, median (kill → its running jobs FAILED)", failovers[failovers.Count / 2], "s");
                report.AddFigure("failover, slowest", failovers[^1], "s");
            }

            report.AddFigure("wall time", Stopwatch.GetElapsedTime(started).TotalSeconds, "s");
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            NpgsqlConnection.ClearAllPools();
            TestDatabases.DropOn(options.Server, root);
            KillLoop.TryDelete(root);
        }

        return report;
    }

    /// <summary>
    /// Waits until the dead node was taken over and the jobs it was running are terminal: the seconds from its
    /// death to then. Each must be FAILED for the node's stop (exec.run is not resumable) within the bound. Null
    /// when the survivor itself stopped at the fence meanwhile (it is started again, and the takeover then timed
    /// is not the cluster's failover time).
    /// </summary>
    private static async Task<double?> SettleAsync(NpgsqlDataSource db, string victim, Node survivor,
        IReadOnlyList<long> running, long killedAt, ClusterKillLoopOptions options, ProbeReport report)
    {
        var giveUp = options.FailoverBound * 3;
        var survivorFenced = false;
        while (true)
        {
            if (survivor.StoppedByItself)
            {
                survivorFenced = true;
                await survivor.RestartAfterFenceAsync();
            }

            var gone = await ScalarAsync(db, "SELECT \"State\" FROM cluster_nodes WHERE \"Name\" = @node", ("node", victim))
                as string == "gone";
            var states = await StatesAsync(db, running);
            var elapsed = Stopwatch.GetElapsedTime(killedAt);
            if (gone && states.All(s => s.State is "FAILED" or "SUCCESS" or "ABORTED"))
            {
                foreach (var (id, state, error) in states.Where(s => s.State != "FAILED" ||
                             s.Error != $"[EFAULT] node {victim} stopped while the job was running"))
                {
                    report.Violation($"job {id}, running when {victim} died, ended {state} ({error})");
                }

                if (survivorFenced)
                {
                    return null;
                }

                if (elapsed > options.FailoverBound)
                {
                    report.Violation($"{victim}'s running jobs were settled {elapsed.TotalSeconds:F1} s after its death");
                }

                return elapsed.TotalSeconds;
            }

            if (elapsed > (survivorFenced ? giveUp * 2 : giveUp))
            {
                report.Violation($"{victim} was not taken over within {giveUp.TotalSeconds:F0} s of its death");
                return elapsed.TotalSeconds;
            }

            await Task.Delay(100);
        }
    }

    private static Task DrainAsync(NpgsqlDataSource db, TimeSpan timeout, ProbeReport report) =>
        KillLoop.WaitUntilDrainedAsync(
            async () => (long)(await ScalarAsync(db, "SELECT count(*) FROM jobs WHERE \"State\" IN ('WAITING', 'RUNNING')"))!,
            timeout, report);

    /// <summary>Every acknowledged id must exist, be the job it was acknowledged for, and be finished.</summary>
    private static async Task<(int Lost, int Reused, HashSet<string> Finished)> CheckAcknowledgedAsync(
        NpgsqlDataSource db, ConcurrentDictionary<string, long> acknowledged, ProbeReport report)
    {
        await using var read = db.CreateCommand(
            "SELECT \"Id\", \"State\", \"ArgumentsJson\" FROM jobs WHERE \"Method\" = 'exec.run'");
        var stored = new Dictionary<long, (string State, string Token)>();
        await using (var rows = await read.ExecuteReaderAsync())
        {
            while (await rows.ReadAsync())
            {
                stored[rows.GetInt64(0)] = (rows.GetString(1), TokenOf(rows.GetString(2)));
            }
        }

        var lost = 0;
        var reused = 0;
        foreach (var (token, id) in acknowledged)
        {
            if (!stored.TryGetValue(id, out var job))
            {
                lost++;
                report.Violation($"acknowledged job {id} (token {token}) is not in the database");
            }
            else if (job.Token != token)
            {
                reused++;
                report.Violation($"acknowledged job {id} (token {token}) is now another job (token {job.Token})");
            }
        }

        return (lost, reused, stored.Values.Where(j => j.State is "SUCCESS" or "FAILED" or "ABORTED")
            .Select(j => j.Token).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>The token is the last argument of the job's <c>sh -c</c>.</summary>
    private static string TokenOf(string argumentsJson)
    {
        using var arguments = JsonDocument.Parse(argumentsJson);
        var shell = arguments.RootElement[1];
        return shell[shell.GetArrayLength() - 1].GetString() ?? "";
    }

    private static async Task<List<long>> IdsAsync(NpgsqlDataSource db, string sql, string node)
    {
        await using var command = db.CreateCommand(sql);
        command.Parameters.AddWithValue("node", node);
        var ids = new List<long>();
        await using var rows = await command.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            ids.Add(rows.GetInt64(0));
        }

        return ids;
    }

    private static async Task<List<(long Id, string State, string? Error)>> StatesAsync(NpgsqlDataSource db,
        IReadOnlyList<long> ids)
    {
        await using var command = db.CreateCommand("SELECT \"Id\", \"State\", \"Error\" FROM jobs WHERE \"Id\" = ANY(@ids)");
        command.Parameters.AddWithValue("ids", ids.ToArray());
        var states = new List<(long, string, string?)>();
        await using var rows = await command.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            states.Add((rows.GetInt64(0), rows.GetString(1), rows.IsDBNull(2) ? null : rows.GetString(2)));
        }

        return states;
    }

    private static async Task<object?> ScalarAsync(NpgsqlDataSource db, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = db.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync();
    }

    /// <summary>One node: its data directory, the daemon up now (submitters wait on it), and its incarnation.</summary>
    private sealed class Node(string name, string dataDir, string database, ClusterKillLoopOptions options)
        : IAsyncDisposable
    {
        private DaemonProcess? _daemon;
        private int _incarnation;

        public string Name { get; } = name;

        public DaemonHandle Up { get; } = new();

        /// <summary>A lock of this incarnation of the node (see the remarks of <see cref="ClusterKillLoop"/>).</summary>
        public string LockName(int n) =>
            string.Create(CultureInfo.InvariantCulture, $"{Name}-{Volatile.Read(ref _incarnation)}-{n}");

        public async Task StartAsync()
        {
            Directory.CreateDirectory(dataDir);
            Interlocked.Increment(ref _incarnation);
            _daemon = await DaemonProcess.StartAsync(dataDir,
                "--JobServer:Exec:Allowed:0=sh",
                $"--{TestDatabases.Setting}={database}",
                $"--JobServer:Cluster:NodeName={Name}",
                $"--JobServer:Cluster:HeartbeatInterval={options.HeartbeatInterval}",
                $"--JobServer:Cluster:NodeTimeout={options.NodeTimeout}");
            Up.Set(_daemon);
        }

        /// <summary>Whether the daemon ended without being killed (the fence's exit 75).</summary>
        public bool StoppedByItself => _daemon is { HasExited: true };

        public async Task RestartAfterFenceAsync()
        {
            Up.Clear();
            await _daemon!.DisposeAsync();
            await StartAsync();
        }

        /// <summary>SIGKILL; returns the instant of its death.</summary>
        public async Task<long> KillAsync()
        {
            Up.Clear();
            await _daemon!.CrashAsync();
            var killedAt = Stopwatch.GetTimestamp();
            await _daemon.DisposeAsync();
            _daemon = null;
            return killedAt;
        }

        public async ValueTask DisposeAsync()
        {
            if (_daemon is not null)
            {
                await _daemon.DisposeAsync();
            }

            TestDatabases.Drop(dataDir); // in a test run, DaemonProcess made the directory a database of its own too
        }
    }
}
