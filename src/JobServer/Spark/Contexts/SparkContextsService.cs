using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using Microsoft.Extensions.Options;

namespace JobServer.Spark.Contexts;

/// <summary>
/// The methods behind <c>/contexts</c> (reference §1.4): one call through the Dispatcher per route, so
/// authorization, audit and error mapping are the daemon's. Creating, stopping and rebooting contexts start and
/// kill processes, so they take FULL_ADMIN (the default); reading READONLY_ADMIN.
/// </summary>
[Namespace("spark")]
internal sealed partial class SparkContextsService(
    SparkContexts contexts, JobServer.Jobs.JobManager jobs, IOptions<SparkOptions> options, TimeProvider time,
    ILogger<SparkContextsService> logger) : Service
{
    [Description("Creates the context name (POST /contexts/<name>): a process hosting up to max-jobs spark.run jobs. " +
                 "query holds the query's settings (num-cpu-cores, memory-per-node, max-jobs, queue-when-full, …) and " +
                 "config the posted config, whose spark.context-settings win over them.")]
    public async Task<JsonObject> ContextCreate(string name, JsonObject? query = null, JsonObject? config = null)
    {
        if (!SparkName.IsContextName(name, out var problem))
        {
            throw new ValidationException(nameof(name), problem);
        }

        SparkContextSettings settings;
        try
        {
            settings = SparkContextSettings.From(TextOf(query), config, options.Value.ContextQueueWhenFull);
        }
        catch (FormatException e)
        {
            throw new ValidationException(nameof(config), e.Message);
        }

        return Describe(await contexts.CreateAsync(name, settings, CancellationToken.None));
    }

    [Roles(Role.ReadonlyAdmin)]
    [Description("The names of the contexts (GET /contexts).")]
    public JsonArray ContextQuery() => [.. contexts.All().Select(c => JsonValue.Create(c.Name))];

    [Roles(Role.ReadonlyAdmin)]
    [Description("A context: name, applicationId, id, startTime, state, pid, max-jobs, running-jobs, queued-jobs, " +
                 "queue-when-full and its settings (GET /contexts/<name>).")]
    public JsonObject ContextGet(string name) =>
        Describe(contexts.Find(name) ?? throw new InstanceNotFoundException($"can't find context with name {name}"));

    [Description("Stops the context name (DELETE /contexts/<name>): its jobs are killed and its process ends, " +
                 "once they have ended, or at once with force (?force=true). Answers {stopped: false} when the " +
                 "stop still runs after JobServer:Spark:ContextStopWait.")]
    public async Task<JsonObject> ContextDelete(ICallContext caller, string name, bool force = false)
    {
        var context = contexts.Find(name) ?? throw new InstanceNotFoundException($"context {name} not found");
        var stop = contexts.StopAsync(context, job => AbortAsync(job, caller, name), force);
        if (await Task.WhenAny(stop, Task.Delay(options.Value.ContextStopWait, time)) != stop)
        {
            return new JsonObject { ["stopped"] = false }; // Still going; a failure later is logged by SparkContexts.
        }

        await stop; // A failed stop is this call's error.
        return new JsonObject { ["stopped"] = true };
    }

    [Description("Stops every context and creates it again with its settings (PUT /contexts?reset=reboot); " +
                 "with sync false (&sync=false) it answers at once and reboots in the background, logging a failure.")]
    public async Task ContextReset(ICallContext caller, bool sync = true)
    {
        if (sync)
        {
            await RebootAllAsync(caller);
            return;
        }

        _ = RebootInBackgroundAsync(caller);
    }

    private async Task RebootAllAsync(ICallContext caller)
    {
        foreach (var context in contexts.All())
        {
            await contexts.StopAsync(context, job => AbortAsync(job, caller, context.Name));
            await contexts.CreateAsync(context.Name, context.Settings, CancellationToken.None);
        }
    }

    private async Task RebootInBackgroundAsync(ICallContext caller)
    {
        await Task.Yield(); // The caller's answer goes first.
        try
        {
            await RebootAllAsync(caller);
            LogRebooted(logger);
        }
#pragma warning disable CA1031 // Nobody awaits a background reboot: its failure is logged, the daemon lives on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogRebootFailed(logger, e);
        }
    }

    private async Task AbortAsync(JobServer.Jobs.Job job, ICallContext caller, string name)
    {
        try
        {
            await jobs.AbortAsync(job.Id, caller, $"Context {name} stopped");
        }
        catch (CallError)
        {
            // It ended meanwhile.
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> TextOf(JsonObject? query) =>
        query is null
            ? []
            : query.Select(p => KeyValuePair.Create(p.Key, p.Value is JsonValue v ? v.ToString() : p.Value?.ToJsonString() ?? ""));

    /// <summary>spark's local-mode info (<c>name</c>, <c>applicationId</c>), its cluster-mode fields, and the slots.</summary>
    private static JsonObject Describe(SparkContext context) => new()
    {
        ["name"] = context.Name,
        ["applicationId"] = string.Create(CultureInfo.InvariantCulture, $"local-{context.StartedAt.ToUnixTimeMilliseconds()}"),
        ["id"] = context.Id,
        ["startTime"] = context.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["endTime"] = "Empty",
        ["state"] = context.State.ToString().ToUpperInvariant(),
        ["pid"] = context.Worker.Pid,
        ["max-jobs"] = context.Slots.MaxJobs,
        ["running-jobs"] = context.Slots.Running,
        ["queued-jobs"] = context.Slots.Queued,
        ["queue-when-full"] = context.Slots.QueueWhenFull,
        ["settings"] = context.Settings.All.DeepClone(),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Spark contexts rebooted in the background (PUT /contexts?reset=reboot&sync=false)")]
    private static partial void LogRebooted(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "The background reboot of the Spark contexts failed")]
    private static partial void LogRebootFailed(ILogger logger, Exception exception);
}
