using System.Diagnostics;
using Hangfire;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using JobServer.Bench.Infrastructure;

namespace JobServer.Bench.Peers;

/// <summary>
/// The peer for job throughput: Hangfire 1.8 with an in-process <see cref="BackgroundJobServer"/> (default worker
/// count), N empty jobs enqueued from one or several threads, timed from the first enqueue to the Nth Succeeded.
/// </summary>
internal static class HangfireBaseline
{
    public const string InMemoryName = "Hangfire 1.8.25 + InMemory 1.0.0";
    public const string PostgresName = "Hangfire 1.8.25 + PostgreSql 1.21.1";

    public static JobStorage InMemory() => new InMemoryStorage(new InMemoryStorageOptions());

    public static JobStorage Postgres(string connectionString) =>
        new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, new PostgreSqlStorageOptions()),
            new PostgreSqlStorageOptions { QueuePollInterval = TimeSpan.FromMilliseconds(50), PrepareSchemaIfNecessary = true });

    /// <summary>Jobs per second for <paramref name="count"/> jobs enqueued by <paramref name="producers"/> threads.</summary>
    public static async Task<double> RunAsync(JobStorage storage, int count, int producers, TimeSpan timeout)
    {
        var counter = new HangfireCompletionCounter();
        var filters = new JobFilterCollection { counter };
        var provider = new JobFilterProviderCollection([.. JobFilterProviders.Providers, filters]);
        using var server = new BackgroundJobServer(
            new BackgroundJobServerOptions { FilterProvider = provider, ShutdownTimeout = TimeSpan.FromSeconds(5) }, storage);
        var client = new BackgroundJobClient(storage, provider);
        var reached = counter.Arm(count);
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, producers).Select(_ => Task.Run(() =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                client.Enqueue(() => HangfireNoopJob.Run());
            }
        })));
        var finished = await reached.WaitAsync(timeout);
        server.SendStop();
        return count / (Stats.Ms(started, finished) / 1000);
    }
}
