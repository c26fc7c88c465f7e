using System.Text.Json.Nodes;
using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.TestPlugin;

/// <summary>Jobs with controllable behaviour for the integration tests (namespace <c>testjobs</c>).</summary>
public sealed class TestJobsService : Service
{
    /// <summary>Opens a gate.</summary>
    [Roles(Role.Authenticated)]
    public bool Release(string key)
    {
        Gates.Release(key);
        return true;
    }

    /// <summary>Returns its argument.</summary>
    [Job]
    [Roles(Role.Authenticated)]
    public JsonNode? Echo(IJobContext job, JsonNode? value) => value;

    /// <summary>Waits for its gate (or an abort), holding the lock <c>gate:&lt;key&gt;</c>.</summary>
    [Job(Lock = "gate:{0}", Abortable = true)]
    [Roles(Role.Authenticated)]
    public async Task<string> Gate(IJobContext job, string key)
    {
        await Gates.WaitAsync(key, job.Aborted);
        return key;
    }

    /// <summary>
    /// Transient (neither stored nor announced): waits for its gate under the lock <c>gate:&lt;key&gt;</c>, then
    /// opens the gate <c>&lt;key&gt;:ran</c> so a test can see it ran.
    /// </summary>
    [Job(Lock = "gate:{0}", Transient = true)]
    [Roles(Role.Authenticated)]
    public async Task<string> TransientGate(IJobContext job, string key)
    {
        await Gates.WaitAsync(key, job.Aborted);
        Gates.Release(key + ":ran");
        return key;
    }

    /// <summary>Waits for its gate under the lock <c>queued</c>; two may wait before calls join the newest.</summary>
    [Job(Lock = "queued", LockQueueSize = 2)]
    [Roles(Role.Authenticated)]
    public async Task<string> Queued(IJobContext job, string key)
    {
        await Gates.WaitAsync(key, job.Aborted);
        return key;
    }

    /// <summary>Sleeps for <paramref name="seconds"/> (a job that ends by itself, e.g. within a stop's grace), or until aborted.</summary>
    [Job(Abortable = true)]
    [Roles(Role.Authenticated)]
    public async Task<double> Sleep(IJobContext job, double seconds)
    {
        await Task.Delay(TimeSpan.FromSeconds(seconds), job.Aborted);
        return seconds;
    }

    /// <summary>Ignores aborts: only its gate ends it.</summary>
    [Job]
    [Roles(Role.Authenticated)]
    public async Task<string> Stubborn(IJobContext job, string key)
    {
        await Gates.WaitAsync(key, CancellationToken.None);
        return key;
    }

    /// <summary>Reports progress in steps, waiting for the gate before finishing.</summary>
    [Job]
    [Roles(Role.Authenticated)]
    public async Task<int> Progress(IJobContext job, int steps, string key)
    {
        for (var i = 1; i <= steps; i++)
        {
            job.SetProgress(i * 100 / steps / 2, $"step {i} of {steps}", new JsonObject { ["step"] = i });
        }

        await Gates.WaitAsync(key, job.Aborted);
        return steps;
    }

    /// <summary>Fails with a call error.</summary>
    [Job]
    [Roles(Role.Authenticated)]
    public void Fail(IJobContext job, string message) => throw new CallError(message, Errno.EINVAL);

    /// <summary>Fails with a validation error.</summary>
    [Job]
    [Roles(Role.Authenticated)]
    public void Invalid(IJobContext job) =>
        throw new ValidationException("testjobs_invalid.field", "This field is wrong");

    /// <summary>Fails with an unexpected exception.</summary>
    [Job]
    [Roles(Role.Authenticated)]
    public void Crash(IJobContext job) => throw new InvalidOperationException("boom");

    /// <summary>A method (not a job) with a bug: the REST mirror answers 500, with the trace only for a debugging admin.</summary>
    [Roles(Role.Authenticated)]
    public string Explode() => throw new InvalidOperationException("kaboom");

    /// <summary>Writes lines to its log.</summary>
    [Job(Logs = true)]
    [Roles(Role.Authenticated)]
    public int Log(IJobContext job, int lines)
    {
        for (var i = 1; i <= lines; i++)
        {
            job.Log.WriteLine($"line {i}");
        }

        return lines;
    }

    /// <summary>Takes a secret that must not show in the job's arguments.</summary>
    [Job]
    [Roles(Role.Authenticated)]
    public string Secret(IJobContext job, string user, [Secret] string password) => user;

    /// <summary>Writes <paramref name="bytes"/> bytes of a known pattern (byte i is i % 251) to its output.</summary>
    [Job(Pipes = JobPipes.Output)]
    [Roles(Role.Authenticated)]
    public async Task<long> Produce(IJobContext job, long bytes)
    {
        var chunk = new byte[64 * 1024];
        long written = 0;
        while (written < bytes)
        {
            var count = (int)Math.Min(chunk.Length, bytes - written);
            for (var i = 0; i < count; i++)
            {
                chunk[i] = (byte)((written + i) % 251);
            }

            await job.Output.WriteAsync(chunk.AsMemory(0, count), job.Aborted);
            written += count;
        }

        return written;
    }

    /// <summary>A download job that fails with a call error before it writes a byte.</summary>
    [Job(Pipes = JobPipes.Output)]
    [Roles(Role.Authenticated)]
    public void ProduceNothing(IJobContext job, string message) => throw new CallError(message, Errno.EINVAL);

    /// <summary>Writes to its output until aborted (or the reader goes away).</summary>
    [Job(Pipes = JobPipes.Output)]
    [Roles(Role.Authenticated)]
    public async Task Endless(IJobContext job)
    {
        var chunk = new byte[64 * 1024];
        while (true)
        {
            await job.Output.WriteAsync(chunk, job.Aborted);
        }
    }

    /// <summary>Reads its input to the end; returns the byte count and SHA-256 (hex).</summary>
    [Job(Pipes = JobPipes.Input)]
    [Roles(Role.Authenticated)]
    public async Task<JsonObject> Consume(IJobContext job)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(
            System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await job.Input.ReadAsync(buffer, job.Aborted)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            total += read;
        }

        return new JsonObject { ["bytes"] = total, ["sha256"] = Convert.ToHexStringLower(sha.GetHashAndReset()) };
    }
}
