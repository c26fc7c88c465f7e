using System.Diagnostics;
using System.Text.RegularExpressions;

namespace JobServer.Probes;

/// <summary>
/// The daemon as a separate operating-system process (for tests that must kill it hard, as a crash would).
/// </summary>
public sealed partial class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DaemonLog _log = new();

    private DaemonProcess(Process process) => _process = process;

    public Uri BaseUri { get; private set; } = null!;

    public Uri WebSocketUri => new(BaseUri, "/websocket");

    /// <summary>What the daemon printed (its console log), for probes that check it.</summary>
    public DaemonLog Log => _log;

    public static async Task<DaemonProcess> StartAsync(string dataDir, params string[] extraArgs)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])
                 [DaemonDll, "--urls", "http://127.0.0.1:0", "--data-dir", dataDir, .. TestDatabases.ArgumentsFor(dataDir),
                  .. extraArgs])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["JOBSERVER_ROOT_PASSWORD"] = ProbeCredentials.RootPassword;
        start.Environment["JobServer__Auth__PasswordIterations"] = "10000";
        // No grace by default, so a probe's stop is not slowed down by its jobs; a test of the stop asks for one.
        start.Environment["JobServer__Jobs__ShutdownGraceSeconds"] = "0";
        // Worker processes on demand only, unless a probe asks for a warm pool.
        start.Environment["JobServer__Workers__PoolSize"] = "0";
        var daemon = new DaemonProcess(Process.Start(start)!);
        daemon._process.OutputDataReceived += (_, e) => daemon.OnOutput(e.Data);
        daemon._process.ErrorDataReceived += (_, e) => daemon.OnOutput(e.Data);
        daemon._process.BeginOutputReadLine();
        daemon._process.BeginErrorReadLine();
        daemon.BaseUri = await daemon._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return daemon;
    }

    internal static string DaemonDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}",
                StringComparison.Ordinal) ? "Release" : "Debug";
            return Path.Combine(RepositoryPaths.Root, "src", "JobServer", "bin", configuration, "net10.0", "JobServer.dll");
        }
    }

    public Task<DdpClient> ConnectAsync() => DdpClient.ConnectAsync(WebSocketUri);

    /// <summary>The process's resident memory now (<c>VmRSS</c>) and at its peak so far (<c>VmHWM</c>), in bytes.</summary>
    public (long Resident, long Peak) Memory() => ProcessTable.MemoryOf(_process.Id);

    public async Task<DdpClient> ConnectAsRootAsync()
    {
        var client = await ConnectAsync();
        if (!(await client.CallResultAsync("auth.login", "root", ProbeCredentials.RootPassword)).GetBoolean())
        {
            throw new InvalidOperationException("root could not sign in with the test password");
        }

        return client;
    }

    /// <summary>The daemon's pid.</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// SIGKILL to the daemon alone, as a crash or <c>kill -9</c> would: unlike <see cref="KillAsync"/> it leaves the
    /// daemon's children to whatever the daemon arranged for them.
    /// </summary>
    public async Task CrashAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as <c>systemctl stop</c> or <c>docker stop</c> sends it: the daemon begins its graceful stop.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Whether the process has ended (by itself or killed).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the process to exit by itself; its exit code.</summary>
    /// <exception cref="TimeoutException">It still runs after <paramref name="timeout"/>.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    /// <summary>Kills the process and its descendants at once.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    private void OnOutput(string? line)
    {
        if (line is not null)
        {
            _log.Add(line);
        }

        if (line is not null && ListeningOn().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    // Not the Unix socket's "http://unix:/…": probes talk TCP.
    [GeneratedRegex(@"Now listening on: (http://(?!unix:)\S+)")]
    private static partial Regex ListeningOn();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }
}
