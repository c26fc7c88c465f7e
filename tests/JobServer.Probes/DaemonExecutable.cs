using System.Diagnostics;
using System.Text.RegularExpressions;

namespace JobServer.Probes;

/// <summary>
/// The daemon's executable run with exactly the arguments and environment given (no test password, no test
/// settings), every line it prints kept: for what it prints (a generated password, a refusal) and how it exits
/// (a second daemon on a locked data directory, a host-side verb).
/// </summary>
public sealed class DaemonExecutable : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();
    private readonly List<(Regex Pattern, TaskCompletionSource<string> Seen)> _waits = [];

    private DaemonExecutable(Process process) => _process = process;

    public int ProcessId => _process.Id;

    /// <summary>Every line printed so far (stdout and stderr, in arrival order).</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Starts <c>dotnet JobServer.dll</c> with the arguments; the environment adds to the harness's own.</summary>
    public static DaemonExecutable Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        bool redirectInput = false)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DaemonProcess.DaemonDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var daemon = new DaemonExecutable(Process.Start(start)!);
        daemon._process.OutputDataReceived += (_, e) => daemon.OnLine(e.Data);
        daemon._process.ErrorDataReceived += (_, e) => daemon.OnLine(e.Data);
        daemon._process.BeginOutputReadLine();
        daemon._process.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>The process's standard input (when started with <c>redirectInput</c>).</summary>
    public StreamWriter Input => _process.StandardInput;

    /// <summary>Waits for a line that matches (one already printed counts); returns it.</summary>
    public Task<string> WaitForLineAsync(Regex pattern, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_lines.FirstOrDefault(pattern.IsMatch) is { } line)
            {
                return Task.FromResult(line);
            }

            _waits.Add((pattern, seen));
        }

        return seen.Task.WaitAsync(timeout);
    }

    /// <summary>Waits for the process to exit and for its output to be read to the end; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Add(line);
            foreach (var wait in _waits.Where(w => w.Pattern.IsMatch(line)).ToArray())
            {
                _waits.Remove(wait);
                wait.Seen.TrySetResult(line);
            }
        }
    }

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
