using System.Globalization;

namespace JobServer.Bench.Infrastructure;

/// <summary>What the job scenarios need from the daemon's job engine, checked up front.</summary>
internal static class JobEngine
{
    public const string NoopMethod = "bench.noop";
    public const string LockedMethod = "bench.locked";

    /// <summary>
    /// Throws <see cref="FeatureMissingException"/> unless <c>core.get_jobs</c> exists and a <c>bench.noop</c> call
    /// answers a job id (the bench plugin is loaded and <c>[Job]</c> methods run as jobs).
    /// </summary>
    public static async Task EnsureAvailableAsync(DdpBenchClient client)
    {
        try
        {
            (await client.CallAsync("core.get_jobs", """[[["id","=",0]]]""")).EnsureSuccess("core.get_jobs");
        }
        catch (DdpCallException e) when (e.IsMissingMethod)
        {
            throw new FeatureMissingException("the job engine is not built yet (core.get_jobs answers ENOMETHOD)");
        }

        var reply = await client.CallAsync(NoopMethod);
        if (reply.Error is not null && reply.Error.Contains("ENOMETHOD", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the bench plugin is not loaded ({NoopMethod}: {reply.Error})");
        }

        if (reply.Number is null)
        {
            throw new FeatureMissingException($"{NoopMethod} does not answer a job id yet (got {reply.Error ?? reply.Text ?? reply.Raw ?? "null"})");
        }
    }

    /// <summary>Subscribes to <c>core.get_jobs</c>; a daemon without that collection lacks the job engine.</summary>
    public static async Task SubscribeJobsAsync(DdpBenchClient client)
    {
        try
        {
            await client.SubscribeAsync("core.get_jobs");
        }
        catch (DdpCallException e) when (e.ErrorJson.Contains("404", StringComparison.Ordinal) || e.IsMissingMethod)
        {
            throw new FeatureMissingException("the core.get_jobs collection cannot be subscribed to yet (nosub 404)");
        }
    }

    /// <summary>How many of the jobs with ids in [first, last] of <paramref name="method"/> are stored as SUCCESS.</summary>
    public static async Task<long> CountSucceededAsync(DdpBenchClient client, string method, long first, long last)
    {
        var filters = string.Create(CultureInfo.InvariantCulture,
            $$"""[[["method","=","{{method}}"],["state","=","SUCCESS"],["id",">=",{{first}}],["id","<=",{{last}}]],{"count":true}]""");
        var reply = (await client.CallAsync("core.get_jobs", filters)).EnsureSuccess("core.get_jobs");
        return reply.Number ?? throw new InvalidOperationException("core.get_jobs with count:true answered " + reply.Raw);
    }

    public static long JobId(CallReply reply) =>
        reply.Number ?? throw new FeatureMissingException($"a job call answered {reply.Text ?? reply.Raw ?? "null"}, not a job id");
}
