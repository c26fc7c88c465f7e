using System.Globalization;
using JobServer.Sdk.Errors;
using JobServer.Workers;
using Microsoft.Extensions.Options;

namespace JobServer.Spark.Contexts;

/// <summary>
/// The named contexts (docs/spark.md, "Contexts"): created by <c>POST /contexts/&lt;name&gt;</c> and, at every
/// start, from <c>JobServer:Spark:Contexts</c> (spark-jobserver loses its contexts at a restart; a context declared
/// in configuration is there whenever the daemon is). A context whose process dies is logged and removed: its
/// jobs fail with spark's "Context (&lt;name&gt;) for this job was terminated", and the name is free for a new one.
/// Every process is a child the daemon kills at its stop; one that outlives a <c>kill -9</c> of the daemon ends
/// on its own when its channel closes, as a pooled worker does.
/// </summary>
internal sealed partial class SparkContexts(
    WorkerLaunch launch,
    IOptions<WorkersOptions> workers,
    IOptions<SparkOptions> options,
    TimeProvider time,
    ILogger<SparkContexts> logger) : IHostedService
{
    public const string InitError = "CONTEXT INIT ERROR";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SparkContext> _contexts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _starting = new(StringComparer.Ordinal);
    private volatile bool _stopping;

    public SparkContext? Find(string name)
    {
        lock (_gate)
        {
            return _contexts.GetValueOrDefault(name);
        }
    }

    /// <summary>Every context, by name.</summary>
    public IReadOnlyList<SparkContext> All()
    {
        lock (_gate)
        {
            return [.. _contexts.Values.OrderBy(c => c.Name, StringComparer.Ordinal)];
        }
    }

    /// <summary>Starts a context's process and lists it once it reported ready.</summary>
    /// <exception cref="CallError">EEXIST: the name is taken; EAGAIN: the limit of contexts; EIO (<see cref="InitError"/>): no process.</exception>
    public async Task<SparkContext> CreateAsync(string name, SparkContextSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        lock (_gate)
        {
            if (_stopping)
            {
                throw Stopping();
            }

            if (_contexts.ContainsKey(name) || _starting.Contains(name))
            {
                throw new CallError($"context {name} exists", Errno.EEXIST);
            }

            if (_contexts.Count + _starting.Count >= options.Value.MaxContexts)
            {
                throw new CallError(string.Create(CultureInfo.InvariantCulture,
                    $"Too many contexts ({options.Value.MaxContexts}, JobServer:Spark:MaxContexts)"), Errno.EAGAIN);
            }

            _starting.Add(name);
        }

        try
        {
            var worker = await StartProcessAsync(settings, cancellationToken);
            var context = new SparkContext(name, settings, worker,
                new SparkContextSlots(settings.MaxJobs, settings.QueueWhenFull, options.Value.ContextMaxQueuedJobs), time.GetUtcNow());
            bool listed;
            lock (_gate)
            {
                // The daemon's stop kills the contexts it lists; one that started meanwhile (a background reboot)
                // would outlive it.
                listed = !_stopping;
                if (listed)
                {
                    _contexts[name] = context;
                }
            }

            if (!listed)
            {
                worker.Kill();
                await context.DisposeAsync();
                throw Stopping();
            }

            _ = WatchAsync(context);
            LogCreated(logger, name, worker.Pid, settings.MaxJobs, settings.QueueWhenFull);
            return context;
        }
        finally
        {
            lock (_gate)
            {
                _starting.Remove(name);
            }
        }
    }

    /// <summary>
    /// Stops a context (see <see cref="SparkContext.StopAsync"/>); it leaves the list once its process is gone. A
    /// stop that failed (its process would not close) is logged and thrown to the caller; the context leaves the
    /// list all the same, as no job can join a stopping context and its name would otherwise stay taken.
    /// </summary>
    public async Task StopAsync(SparkContext context, Func<JobServer.Jobs.Job, Task> abort, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await context.StopAsync(abort, force);
        }
        catch (Exception e)
        {
            LogStopFailed(logger, e, context.Name, context.Worker.Pid);
            throw;
        }
        finally
        {
            Forget(context);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, declared) in options.Value.Contexts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            try
            {
                if (!SparkName.IsContextName(name, out var problem))
                {
                    throw new FormatException(problem);
                }

                await CreateAsync(name, SparkContextSettings.FromConfiguration(declared, options.Value.ContextQueueWhenFull),
                    cancellationToken);
            }
            catch (Exception e) when (e is FormatException or CallError)
            {
                // A declared context that cannot start does not keep the daemon down: its other routes still serve.
                LogDeclaredFailed(logger, name, e.Message);
            }
        }
    }

    /// <summary>The graceful stop has aborted the jobs by now: every context process goes.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        SparkContext[] all;
        lock (_gate)
        {
            all = [.. _contexts.Values];
            _contexts.Clear();
        }

        foreach (var context in all)
        {
            context.Worker.Kill();
        }

        await Task.WhenAll(all.Select(c => c.DisposeAsync().AsTask()));
    }

    private async Task<WorkerProcess> StartProcessAsync(SparkContextSettings settings, CancellationToken cancellationToken)
    {
        var start = launch.StartInfo(settings.MemoryMb, settings.CpuCores);
        try
        {
            return await WorkerProcess.StartAsync(start, TimeSpan.FromSeconds(workers.Value.StartTimeoutSeconds), time, logger,
                cancellationToken);
        }
        catch (IOException e)
        {
            throw new CallError($"{InitError}: {e.Message}", Errno.EIO, new System.Text.Json.Nodes.JsonObject
            {
                [Jobs.SparkJobFailure.StatusKey] = InitError, ["message"] = e.Message,
                ["errorClass"] = "spark.jobserver.ContextInitError", ["stack"] = "",
            });
        }
    }

    /// <summary>A process that ends while its context runs (a crash, <c>kill -9</c>) takes the context with it.</summary>
    private async Task WatchAsync(SparkContext context)
    {
        var how = await context.Worker.Ended;
        if (context.State == SparkContextState.Running && !_stopping)
        {
            LogProcessDied(logger, context.Name, context.Worker.Pid, how);
            Forget(context);
        }
    }

    private static CallError Stopping() => new("The daemon is stopping", Errno.ESHUTDOWN);

    private void Forget(SparkContext context)
    {
        lock (_gate)
        {
            if (_contexts.TryGetValue(context.Name, out var listed) && ReferenceEquals(listed, context))
            {
                _contexts.Remove(context.Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Spark context {Context} started (process {Pid}, {MaxJobs} slot(s), queueing {QueueWhenFull})")]
    private static partial void LogCreated(ILogger logger, string context, int pid, int maxJobs, bool queueWhenFull);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Spark context {Context}: its process {Pid} ended ({How}); its jobs failed and the context is gone")]
    private static partial void LogProcessDied(ILogger logger, string context, int pid, string how);

    [LoggerMessage(Level = LogLevel.Error, Message = "Spark context {Context}: its stop failed (process {Pid}); it is no longer listed")]
    private static partial void LogStopFailed(ILogger logger, Exception exception, string context, int pid);

    [LoggerMessage(Level = LogLevel.Error, Message = "The Spark context {Context} declared in JobServer:Spark:Contexts did not start: {Reason}")]
    private static partial void LogDeclaredFailed(ILogger logger, string context, string reason);
}
