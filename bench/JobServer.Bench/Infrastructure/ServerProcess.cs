using System.Diagnostics;

namespace JobServer.Bench.Infrastructure;

/// <summary>
/// A server the harness measures, running as its own process on a loopback port: the daemon, or the bare
/// Kestrel echo server. Its console output is drained (a full pipe would stall it) and the last lines are kept
/// for error messages.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    public const string RootPassword = "bench-root-password";

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly string? _dataDir;

    private ServerProcess(Process process, Uri baseUri, string? dataDir, long startedAt)
    {
        _process = process;
        BaseUri = baseUri;
        _dataDir = dataDir;
        StartedAt = startedAt;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseUri { get; }

    public Uri WebSocketUri => new($"ws://{BaseUri.Authority}/websocket");

    public int ProcessId => _process.Id;

    /// <summary>The <see cref="Stopwatch"/> timestamp taken just before the process was started.</summary>
    public long StartedAt { get; }

    public string? DataDir => _dataDir;

    public long? ResidentKiB => ProcessMemory.ResidentKiB(_process.Id);

    /// <summary>Everything the server printed, with a count of its error entries (probes promise none).</summary>
    public JobServer.Probes.DaemonLog Log { get; } = new();

    /// <summary>
    /// Starts the daemon from its built dll with a temp data dir (or <paramref name="dataDir"/>, kept), the bench
    /// plugin and the benchmark's settings, and waits until it answers <c>core.ping</c> unless told not to.
    /// </summary>
    public static async Task<ServerProcess> StartDaemonAsync(
        IEnumerable<string>? extraArgs = null, string? dataDir = null, bool waitReady = true)
    {
        if (!File.Exists(BenchPaths.DaemonDll))
        {
            throw new FileNotFoundException($"The daemon is not built: {BenchPaths.DaemonDll}");
        }

        var ownsDataDir = dataDir is null;
        dataDir ??= BenchPaths.NewTempDirectory("data");
        var port = FreePort.Next();
        string[] args =
        [
            BenchPaths.DaemonDll,
            "--urls", $"http://127.0.0.1:{port}",
            "--data-dir", dataDir,
            "--plugin-dir", BenchPaths.PluginDirectory,
            // Console logging of every request would measure the terminal, not the daemon.
            "--Serilog:MinimumLevel:Default=Warning",
            // Every client of the harness comes from 127.0.0.1: middlewared's anonymous limit (20 calls of a
            // method per address per minute) would refuse most logins and anonymous pings.
            "--JobServer:Auth:AnonymousRateLimit=0",
            .. extraArgs ?? [],
        ];
        var environment = DaemonEnvironmentOverrides();
        environment["JOBSERVER_ROOT_PASSWORD"] = RootPassword;
        var server = Start(args, port, ownsDataDir ? dataDir : null, environment);
        if (waitReady)
        {
            await server.WaitReadyAsync(TimeSpan.FromSeconds(60));
        }

        return server;
    }

    /// <summary>
    /// <c>BENCH_DAEMON_&lt;NAME&gt;=value</c> in the harness's environment becomes <c>&lt;NAME&gt;=value</c> in the
    /// daemon's only (runtime knobs to try, e.g. <c>BENCH_DAEMON_DOTNET_TieredPGO=0</c>, without changing the
    /// harness or its peers).
    /// </summary>
    private static Dictionary<string, string> DaemonEnvironmentOverrides()
    {
        const string Prefix = "BENCH_DAEMON_";
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith(Prefix, StringComparison.Ordinal) && name.Length > Prefix.Length)
            {
                overrides[name[Prefix.Length..]] = entry.Value as string ?? "";
            }
        }

        return overrides;
    }

    /// <summary>Starts this harness again as the bare Kestrel echo server (see <c>EchoServer</c>).</summary>
    public static async Task<ServerProcess> StartEchoAsync(bool waitReady = true)
    {
        var port = FreePort.Next();
        var server = Start([BenchPaths.HarnessDll, "--echo-server", "--urls", $"http://127.0.0.1:{port}"], port, null, null);
        if (waitReady)
        {
            await server.WaitReadyAsync(TimeSpan.FromSeconds(60));
        }

        return server;
    }

    private static ServerProcess Start(string[] args, int port, string? ownedDataDir, Dictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(BenchPaths.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? [])
        {
            info.Environment[key] = value;
        }

        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + info.FileName);
        return new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"), ownedDataDir, startedAt);
    }

    /// <summary>Polls (every 5 ms) until <c>core.ping</c> is answered over a fresh WebSocket; returns when it was.</summary>
    public async Task<long> WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {_process.ExitCode} before answering:\n{OutputTail}");
            }

            try
            {
                await using var client = await DdpBenchClient.ConnectAsync(WebSocketUri);
                await client.CallAsync("core.ping");
                return Stopwatch.GetTimestamp();
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or IOException or HttpRequestException)
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new TimeoutException($"The server did not answer core.ping within {timeout}:\n{OutputTail}", e);
                }

                await Task.Delay(5);
            }
        }
    }

    public string OutputTail
    {
        get
        {
            lock (_tail)
            {
                return string.Join('\n', _tail);
            }
        }
    }

    /// <summary><c>BENCH_SERVER_OUTPUT=1</c> echoes what the servers print (for instrumented builds while profiling).</summary>
    private static readonly bool EchoOutput = Environment.GetEnvironmentVariable("BENCH_SERVER_OUTPUT") == "1";

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (EchoOutput)
        {
            Console.WriteLine($"   [server] {line}");
        }

        Log.Add(line);

        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 40)
            {
                _tail.Dequeue();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { });
        }

        _process.Dispose();
        if (_dataDir is not null)
        {
            BenchPaths.DeleteQuietly(_dataDir);
        }
    }
}
