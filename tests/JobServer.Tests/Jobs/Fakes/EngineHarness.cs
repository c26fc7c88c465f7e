using System.Text.Json;
using JobServer.Configuration;
using JobServer.Jobs;
using JobServer.Jobs.Storage;
using JobServer.Registry;
using JobServer.Sdk;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace JobServer.Tests.Jobs.Fakes;

/// <summary>
/// A <see cref="JobManager"/> over fakes of its four seams (store, scheduler, runner, bus) and a fake clock. The
/// scheduler is the real in-memory one unless the test brings its own.
/// </summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    public static readonly JobCaller Root = new("s-root", "root", [Role.FullAdmin], null);

    public static readonly JobCaller Alice = new("s-alice", "alice", [Role.FullAdmin], null);

    private static readonly MethodRegistry Registry = MethodRegistryBuilder.Build([new EngineTestJobs()]);

    public EngineHarness(JobsOptions? options = null, IJobScheduler? scheduler = null, bool autoSucceed = false)
    {
        Options = options ?? new JobsOptions();
        Runner = new ControlledJobRunner(autoSucceed);
        Scheduler = scheduler ?? new InMemoryJobScheduler(MsOptions.Create(Options));
        Tasks = new JobTasks(NullLogger<JobTasks>.Instance);
        Manager = new JobManager(Store, Scheduler, new JobRunners(Runner), Bus, Tasks, Clock, MsOptions.Create(Options),
            MsOptions.Create(new JobServerOptions()), NullLogger<JobManager>.Instance, signals: Signals, peers: Peers);
    }

    public JobsOptions Options { get; }

    public FakeJobStore Store { get; } = new();

    public RecordingJobEventBus Bus { get; } = new();

    /// <summary>What wakes the waits for jobs of other nodes (a test signals it as the cluster's relay would).</summary>
    public JobChangeSignals Signals { get; } = new();

    /// <summary>The other nodes of a cluster: records the aborts asked of them.</summary>
    public RecordingJobPeers Peers { get; } = new();

    public ControlledJobRunner Runner { get; }

    public IJobScheduler Scheduler { get; }

    public FakeTimeProvider Clock { get; } = new();

    public JobTasks Tasks { get; }

    public JobManager Manager { get; }

    /// <summary>Submits <c>enginetest.{name}</c> with the given JSON arguments.</summary>
    public Task<Job> SubmitAsync(string name, string arguments = "[]", JobCaller? caller = null,
        IJobPipes? pipes = null, string? messageId = null)
    {
        Registry.TryGetMethod("enginetest." + JsonNamingPolicy.SnakeCaseLower.ConvertName(name), out var method)
            .Should().BeTrue();
        using var raw = JsonDocument.Parse(arguments);
        var bound = ArgumentBinder.Bind(method, raw.RootElement);
        return Manager.SubmitAsync(method, bound, raw.RootElement, caller ?? Root,
            messageId is null ? null : System.Text.Json.Nodes.JsonValue.Create(messageId), pipes);
    }

    public Task RecoverAsync() => Manager.RecoverAsync(Registry, CancellationToken.None);

    public Task AdoptAsync(string node, IReadOnlyList<JobRecord> unfinished) =>
        Manager.AdoptAsync(node, unfinished, Registry);

    public async ValueTask DisposeAsync()
    {
        await Tasks.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Tasks.Dispose();
        await Store.DisposeAsync();
    }
}
