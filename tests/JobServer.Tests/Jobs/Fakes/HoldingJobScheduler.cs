using System.Collections.Concurrent;
using JobServer.Jobs;

namespace JobServer.Tests.Jobs.Fakes;

/// <summary>
/// An <see cref="IJobScheduler"/> that never starts anything on its own: jobs wait until the test "claims" one, as
/// a cluster scheduler claims a row in SQL from a loop of its own — a start that follows none of the manager's calls.
/// </summary>
internal sealed class HoldingJobScheduler : IJobScheduler
{
    private readonly ConcurrentDictionary<long, Job> _waiting = new();
    private IJobStarter? _starter;

    public ConcurrentQueue<long> Released { get; } = new();

    public void Attach(IJobStarter starter) => _starter = starter;

    public Job? Admit(in JobAdmission admission) => null;

    public void CancelAdmission(string? owner)
    {
    }

    public bool Create(Job job) => false;

    public void Enqueue(Job job) => _waiting[job.Id] = job;

    public void Withdraw(Job job)
    {
    }

    public void Restore(Job job) => _waiting[job.Id] = job;

    public bool IsWaiting(Job job) => _waiting.ContainsKey(job.Id);

    public void Release(Job job)
    {
        _waiting.TryRemove(job.Id, out _);
        Released.Enqueue(job.Id);
    }

    public bool IsQueued(long id) => _waiting.ContainsKey(id);

    /// <summary>Hands a waiting job to the manager, from the test's thread (the scheduler's own loop).</summary>
    public void Claim(long id)
    {
        _waiting.TryRemove(id, out var job).Should().BeTrue($"job {id} should be waiting");
        _starter!.StartJob(job!);
    }
}
