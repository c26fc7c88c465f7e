using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace JobServer.Client.Tests.Support;

/// <summary>
/// <c>jobctl</c> run as a process (<c>dotnet jobctl.dll …</c>), as a user or a script would, optionally on a
/// pseudo-terminal (util-linux <c>script</c>) or as another user (<c>setpriv</c>). Its output is read as it comes,
/// so a test can wait for a line before it acts.
/// </summary>
public sealed class Jobctl : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();
    private readonly List<(Regex Pattern, TaskCompletionSource Seen)> _waits = [];

    private Jobctl(Process process) => _process = process;

    public static string Dll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}",
                StringComparison.Ordinal) ? "Release" : "Debug";
            return Path.Combine(RepositoryPaths.Root, "src", "JobServer.Cli", "bin", configuration, "net10.0", "jobctl.dll");
        }
    }

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts jobctl with <paramref name="args"/>; the environment adds to (or, with null, removes from) the test's;
    /// <paramref name="asUser"/> is <c>user:group</c>.</summary>
    public static Jobctl Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null,
        string? stdin = null, bool onTerminal = false, string? asUser = null)
    {
        string[] command = ["dotnet", Dll, .. args];
        if (asUser is not null)
        {
            var (user, group) = (asUser.Split(':')[0], asUser.Split(':')[^1]);
            command = ["setpriv", $"--reuid={user}", $"--regid={group}", "--clear-groups", .. command];
        }

        var start = onTerminal
            // script runs the command on a new pty; -e returns its exit code, -q leaves out script's own lines.
            ? new ProcessStartInfo("script") { ArgumentList = { "-qec", string.Join(' ', command.Select(Quote)), "/dev/null" } }
            : new ProcessStartInfo(command[0]);
        if (!onTerminal)
        {
            foreach (var arg in command[1..])
            {
                start.ArgumentList.Add(arg);
            }
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        // Nothing of the test machine's own jobctl setup may leak in.
        start.Environment.Remove("JOBSERVER_URL");
        start.Environment.Remove("JOBSERVER_API_KEY");
        start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var jobctl = new Jobctl(Process.Start(start)!);
        jobctl._process.OutputDataReceived += (_, e) => jobctl.OnLine(jobctl._stdout, e.Data);
        jobctl._process.ErrorDataReceived += (_, e) => jobctl.OnLine(jobctl._stderr, e.Data);
        jobctl._process.BeginOutputReadLine();
        jobctl._process.BeginErrorReadLine();
        if (stdin is not null)
        {
            jobctl._process.StandardInput.Write(stdin);
        }

        // script reads its pty's input from our stdin: keep it open while it runs, or it may end early.
        if (!onTerminal)
        {
            jobctl._process.StandardInput.Close();
        }

        return jobctl;
    }

    /// <summary>Runs jobctl to its end; its exit code.</summary>
    public static async Task<Jobctl> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null,
        string? stdin = null, bool onTerminal = false, string? asUser = null)
    {
        var jobctl = Start(args, environment, stdin, onTerminal, asUser);
        await jobctl.WaitForExitAsync();
        return jobctl;
    }

    public int ExitCode => _process.ExitCode;

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits until stdout or stderr has a line that matches.</summary>
    public Task WaitForOutputAsync(string pattern, TimeSpan? timeout = null)
    {
        var regex = new Regex(pattern);
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (regex.IsMatch(_stdout.ToString()) || regex.IsMatch(_stderr.ToString()))
            {
                return Task.CompletedTask;
            }

            _waits.Add((regex, seen));
        }

        return seen.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    private void OnLine(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            buffer.AppendLine(line);
            foreach (var wait in _waits.Where(w => w.Pattern.IsMatch(line)).ToArray())
            {
                _waits.Remove(wait);
                wait.Seen.TrySetResult();
            }
        }
    }

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public override string ToString() => $"exit {(_process.HasExited ? _process.ExitCode : -1)}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
