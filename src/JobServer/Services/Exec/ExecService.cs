using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Transfers;
using Microsoft.Extensions.Options;

namespace JobServer.Services.Exec;

/// <summary>
/// <c>exec.run</c>: runs an allow-listed executable as a job, without a shell, as the daemon's user. Output goes
/// to the job log; a stdout line <c>PROGRESS &lt;percent&gt; [description]</c> reports progress. With an input pipe
/// (an upload) the upload is the process's stdin; with an output pipe (a download) its stdout is the download.
/// </summary>
[Namespace("exec")]
internal sealed partial class ExecService(
    IOptions<ExecOptions> settings, ChildSpawner spawner, TimeProvider time, ILogger<ExecService> logger)
    : Service
{
    /// <summary>Uploads and downloads move through the process in chunks this large (Stream's default is 80 KiB).</summary>
    private const int CopyBufferBytes = 256 * 1024;

    private readonly ExecRunValidator _checks = new(settings);

    [Job(Lock = "exec:{2.lock?}", Logs = true, Abortable = true, Description = "Run {0}",
        Pipes = JobPipes.Input | JobPipes.Output, CheckPipes = false, Validator = typeof(ExecRunValidator))]
    [Description("Runs an allow-listed executable with arguments; exit code 0 is SUCCESS.")]
    public async Task<ExecResult> Run(IJobContext job, string command, List<string>? args = null,
        ExecRunOptions? options = null)
    {
        var run = options ?? new ExecRunOptions();
        var executable = _checks.ExecutableFor(command, run); // Checked at call time too; again now it runs.
        await using var child = await spawner.StartAsync(StartInfo(executable, args ?? [], run), job.JobId);
        var process = child.Process;
        if (job.HasInput)
        {
            PipeCapacity.TryGrow(process.StandardInput.BaseStream);
        }

        if (job.HasOutput)
        {
            PipeCapacity.TryGrow(process.StandardOutput.BaseStream);
        }

        LogStarted(logger, job.JobId, executable, process.Id);
        var stdout = new OutputTail();
        var stderr = new OutputTail();
        using var timeout = run.TimeoutSeconds is { } seconds
            ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds), time)
            : new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(job.Aborted, timeout.Token);
        await using (stop.Token.Register(() => KillGroup(child)))
        {
            // A pipe that breaks (the upload or the download was cut off) stops the process at once: nothing more
            // can flow, and a process blocked writing to a pipe nobody reads would never close its other pipes.
            async Task StopOnBreak(Task pump)
            {
                try
                {
                    await pump;
                }
                catch (Exception e) when (e is IOException or OperationCanceledException)
                {
                    KillGroup(child);
                    throw;
                }
            }

            await Task.WhenAll(
                StopOnBreak(FeedStdinAsync(job, process, stop.Token)),
                StopOnBreak(job.HasOutput
                    ? CopyStdoutAsync(job, process, stop.Token)
                    : PumpAsync(process.StandardOutput, line => OnStdout(job, stdout, line))),
                StopOnBreak(PumpAsync(process.StandardError, line => OnStderr(job, stderr, line))));

            await process.WaitForExitAsync(CancellationToken.None);
        }

        job.Aborted.ThrowIfCancellationRequested();
        if (timeout.IsCancellationRequested)
        {
            throw new JobAbortedException(string.Create(CultureInfo.InvariantCulture,
                $"Timed out after {run.TimeoutSeconds:0.###} s; the process tree was killed"));
        }

        if (process.ExitCode != 0)
        {
            var tail = stderr.ToString();
            throw new CallError(
                string.IsNullOrEmpty(tail) ? $"{command} exited with code {process.ExitCode}" : tail,
                Errno.EFAULT,
                new JsonObject { ["exit_code"] = process.ExitCode, ["stderr_tail"] = tail });
        }

        return new ExecResult(0, stdout.ToString());
    }

    private static ProcessStartInfo StartInfo(string executable, List<string> args, ExecRunOptions run)
    {
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = run.Cwd ?? Environment.CurrentDirectory,
        };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in run.Env ?? [])
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>The upload becomes stdin; without one the process gets an empty stdin at once.</summary>
    private static async Task FeedStdinAsync(IJobContext job, Process process, CancellationToken cancellationToken)
    {
        try
        {
            if (job.HasInput)
            {
                await job.Input.CopyToAsync(process.StandardInput.BaseStream, CopyBufferBytes, cancellationToken);
            }
        }
        catch (IOException) when (process.HasExited)
        {
            // The process stopped reading (it exited); its exit code tells what happened.
        }
        finally
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // Broken pipe: the process is gone.
            }
        }
    }

    /// <summary>stdout is the download: bytes as they come, nothing parsed.</summary>
    private static async Task CopyStdoutAsync(IJobContext job, Process process, CancellationToken cancellationToken)
    {
        var stdout = process.StandardOutput.BaseStream;
        if (job.Output is PipeWriterStream download)
        {
            await download.CopyFromAsync(stdout, CopyBufferBytes, cancellationToken); // Read into the pipe itself.
        }
        else
        {
            await stdout.CopyToAsync(job.Output, CopyBufferBytes, cancellationToken);
        }
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            onLine(line);
        }
    }

    private static void OnStdout(IJobContext job, OutputTail tail, string line)
    {
        job.Log.WriteLine(line);
        tail.Add(line);
        if (ProgressLine.TryParse(line, out var percent, out var description))
        {
            job.SetProgress(percent, description);
        }
    }

    private static void OnStderr(IJobContext job, OutputTail tail, string line)
    {
        job.Log.WriteLine("[stderr] " + line);
        tail.Add(line);
    }

    /// <summary>Kills the process's whole group now; disposing the child then waits until the group is gone.</summary>
    private void KillGroup(ChildProcess child)
    {
        child.KillGroup();
        LogKilled(logger, child.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} started {Executable} as process {ProcessId}")]
    private static partial void LogStarted(ILogger logger, long jobId, string executable, int processId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Killed process group {ProcessId}")]
    private static partial void LogKilled(ILogger logger, int processId);
}
