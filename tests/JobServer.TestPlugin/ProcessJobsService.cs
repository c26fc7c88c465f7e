using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.TestPlugin;

/// <summary>
/// Jobs whose bodies run in a worker process (<c>Process = true</c>), for the worker tests (namespace
/// <c>testprocess</c>). Nothing here may rely on the daemon's memory: gates are in-process, so these jobs end by
/// themselves, by abort, or by crashing their worker. Every job that spins, crashes or hogs memory takes a required
/// argument, so the authorization matrix and the fuzzers (which call every method without arguments) never start one.
/// </summary>
[Namespace("testprocess")]
public sealed class ProcessJobsService : Service
{
    /// <summary>The process id the body runs in (a worker's, not the daemon's).</summary>
    [Job(Process = true)]
    [Roles(Role.Authenticated)]
    public int Pid(IJobContext job) => Environment.ProcessId;

    /// <summary>Returns its argument: nothing at all, the cheapest process job (the benchmark's peer of testjobs.echo).</summary>
    [Job(Process = true)]
    [Roles(Role.Authenticated)]
    public JsonNode? Echo(IJobContext job, JsonNode? value) => value;

    /// <summary>Reports progress and writes log lines, then waits to be aborted.</summary>
    [Job(Process = true, Logs = true, Abortable = true)]
    [Roles(Role.Authenticated)]
    public async Task<int> Report(IJobContext job, int steps)
    {
        for (var i = 1; i <= steps; i++)
        {
            await job.Log.WriteLineAsync($"step {i} in pid {Environment.ProcessId}");
            job.SetProgress(i * 100 / steps, $"step {i} of {steps}", new JsonObject { ["step"] = i });
        }

        job.SetDescription($"reported {steps} steps");
        await job.Log.FlushAsync();
        await Task.Delay(Timeout.Infinite, job.Aborted);
        return steps;
    }

    /// <summary>Logs a few lines and ends.</summary>
    [Job(Process = true, Logs = true)]
    [Roles(Role.Authenticated)]
    public int Log(IJobContext job, int lines)
    {
        for (var i = 1; i <= lines; i++)
        {
            job.Log.WriteLine($"line {i} from pid {Environment.ProcessId}");
        }

        return lines;
    }

    /// <summary>Burns CPU until aborted (a busy worker that still honours its token).</summary>
    [Job(Process = true, Abortable = true)]
    [Roles(Role.Authenticated)]
    public long Busy(IJobContext job, string label)
    {
        long spins = 0;
        job.SetProgress(0, $"spinning: {label}");
        while (!job.Aborted.IsCancellationRequested)
        {
            spins++;
        }

        job.Aborted.ThrowIfCancellationRequested();
        return spins;
    }

    /// <summary>Burns CPU and ignores its abort: only killing its worker ends it.</summary>
    [Job(Process = true)]
    [Roles(Role.Authenticated)]
    public long Stubborn(IJobContext job, string label)
    {
        long spins = 0;
        job.SetProgress(0, $"ignoring aborts: {label}");
        while (spins >= 0)
        {
            spins = (spins + 1) % long.MaxValue;
        }

        return spins;
    }

    /// <summary>Ends its worker with <see cref="Environment.FailFast(string)"/>.</summary>
    [Job(Process = true)]
    [Roles(Role.Authenticated)]
    public int FailFast(IJobContext job, string message)
    {
        Environment.FailFast(message);
        return 0;
    }

    /// <summary>Overflows its worker's stack.</summary>
    [Job(Process = true)]
    [Roles(Role.Authenticated)]
    public int Overflow(IJobContext job, int startDepth) => Recurse(startDepth);

    /// <summary>Allocates (and keeps) memory until the worker's heap limit stops it.</summary>
    [Job(Process = true)]
    [Roles(Role.Authenticated)]
    public int Hog(IJobContext job, int blockMegabytes)
    {
        var kept = new List<byte[]>();
        while (true)
        {
            var block = new byte[Math.Max(blockMegabytes, 1) * 1024 * 1024];
            Array.Fill(block, (byte)1); // Touch it: resident, not just reserved.
            kept.Add(block);
        }
    }

    /// <summary>Fails with a CallError whose errno and extra must survive the trip from the worker.</summary>
    [Job(Process = true)]
    [Roles(Role.Authenticated)]
    public int Fail(IJobContext job, int errno) =>
        throw new CallError("failed on purpose in a worker", errno, new JsonObject { ["pid"] = Environment.ProcessId });

    /// <summary>Throws an unexpected exception (its type and trace must reach exc_info and the error).</summary>
    [Job(Process = true)]
    [Roles(Role.Authenticated)]
    public int Crash(IJobContext job) => throw new InvalidOperationException("unexpected in a worker");

    /// <summary>Reads its whole input; answers the byte count and its SHA-256.</summary>
    [Job(Process = true, Pipes = JobPipes.Input)]
    [Roles(Role.Authenticated)]
    public async Task<JsonObject> Consume(IJobContext job)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await job.Input.ReadAsync(buffer, job.Aborted)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            total += read;
        }

        return new JsonObject { ["bytes"] = total, ["sha256"] = Convert.ToHexStringLower(hash.GetHashAndReset()) };
    }

    /// <summary>Writes <paramref name="bytes"/> bytes of a repeating pattern (byte i is i % 251) to its output.</summary>
    [Job(Process = true, Pipes = JobPipes.Output)]
    [Roles(Role.Authenticated)]
    public async Task<long> Produce(IJobContext job, long bytes)
    {
        var block = new byte[251 * 256];
        for (var i = 0; i < block.Length; i++)
        {
            block[i] = (byte)(i % 251);
        }

        for (long written = 0; written < bytes;)
        {
            var count = (int)Math.Min(block.Length, bytes - written);
            await job.Output.WriteAsync(block.AsMemory(0, count), job.Aborted);
            written += count;
        }

        return bytes;
    }

    /// <summary>Calls another method through the daemon, as this job's caller, and answers its result.</summary>
    [Job(Process = true)]
    [Roles(Role.Authenticated)]
    public Task<JsonNode?> Call(IJobContext job, string method, JsonArray? parameters = null) =>
        job.CallAsync(method, parameters, job.Aborted);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Recurse(int depth)
    {
        Span<byte> frame = stackalloc byte[256];
        frame[depth % 256] = (byte)depth;
        return Recurse(depth + 1) + frame[0];
    }
}
