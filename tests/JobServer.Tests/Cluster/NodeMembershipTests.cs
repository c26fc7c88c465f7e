using JobServer.Cluster;
using JobServer.Configuration;
using JobServer.Jobs.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace JobServer.Tests.Cluster;

/// <summary>
/// The membership loop over a fake of the cluster's table and a fake clock: heartbeats, takeovers, leaving, and the
/// two ways a node learns it must stop.
/// </summary>
public sealed class NodeMembershipTests
{
    private readonly FakeClusterNodes _nodes = new();
    private readonly RecordingAdopter _adopter = new();
    private readonly StoppingLifetime _lifetime = new();
    private readonly FakeTimeProvider _clock = new();
    private readonly ClusterNode _node = new("node-a", "instance-1");
    private readonly ClusterOptions _options = new()
    {
        NodeName = "node-a", HeartbeatInterval = TimeSpan.FromSeconds(2), NodeTimeout = TimeSpan.FromSeconds(7),
    };

    private NodeMembership Membership(IClusterNodes? nodes) => new(nodes, _node, Options.Create(_options), _adopter,
        _lifetime, _clock, NullLogger<NodeMembership>.Instance);

    [Fact]
    public async Task Join_TakesTheEpochTheClusterGives()
    {
        _nodes.NextEpoch = 4;
        using var membership = Membership(_nodes);

        await membership.JoinAsync(CancellationToken.None);

        _node.Epoch.Should().Be(4);
        _nodes.Joins.Should().Equal(("node-a", "instance-1"));
    }

    [Fact]
    public async Task OnSqlite_NothingJoinsAndNothingRuns()
    {
        using var membership = Membership(null);

        await membership.JoinAsync(CancellationToken.None);
        await membership.StartAsync(CancellationToken.None);
        await membership.StopAsync(CancellationToken.None);

        _node.Epoch.Should().Be(0);
        _lifetime.Stopped.Should().BeFalse();
    }

    [Fact]
    public async Task Tick_HeartbeatsAtItsEpoch_ThenAdoptsEveryStoppedNodeInTurn()
    {
        using var membership = Membership(_nodes);
        await membership.JoinAsync(CancellationToken.None);
        _nodes.Stopped.Enqueue(new NodeTakeover("node-b", Left: true, []));
        _nodes.Stopped.Enqueue(new NodeTakeover("node-c", Left: false, []));

        await membership.TickAsync(_nodes, CancellationToken.None);

        _nodes.Heartbeats.Should().Equal(("node-a", 1L));
        _adopter.Adopted.Select(t => t.Node).Should().Equal("node-b", "node-c");
        _nodes.TakeOverAsks.Should().Be(3, "it asks until none is left");
    }

    [Fact]
    public async Task RefusedHeartbeat_StopsTheNode_WithoutAdoptingOrLeaving()
    {
        using var membership = Membership(_nodes);
        await membership.JoinAsync(CancellationToken.None);
        _nodes.Alive = false;
        _nodes.Stopped.Enqueue(new NodeTakeover("node-b", Left: true, []));

        await membership.TickAsync(_nodes, CancellationToken.None);

        membership.IsFenced.Should().BeTrue();
        _lifetime.Stopped.Should().BeTrue();
        _adopter.Adopted.Should().BeEmpty("a node the cluster declared dead decides nothing for it");
    }

    [Fact]
    public async Task UnreachableDatabase_StopsTheNodeOnlyOnceTheNodeTimeoutHasPassed()
    {
        using var membership = Membership(_nodes);
        await membership.JoinAsync(CancellationToken.None);
        _nodes.Failure = new TimeoutException("the database does not answer");

        _clock.Advance(TimeSpan.FromSeconds(6));
        await membership.TickAsync(_nodes, CancellationToken.None);
        _lifetime.Stopped.Should().BeFalse("6 s of silence is within the 7 s timeout");

        _clock.Advance(TimeSpan.FromSeconds(1));
        await membership.TickAsync(_nodes, CancellationToken.None);
        _lifetime.Stopped.Should().BeTrue();
        membership.IsFenced.Should().BeTrue();
    }

    [Fact]
    public async Task AHeartbeatThatSucceeds_RestartsTheSilenceCount()
    {
        using var membership = Membership(_nodes);
        await membership.JoinAsync(CancellationToken.None);

        _clock.Advance(TimeSpan.FromSeconds(5));
        await membership.TickAsync(_nodes, CancellationToken.None);
        _nodes.Failure = new TimeoutException("the database does not answer");
        _clock.Advance(TimeSpan.FromSeconds(5));
        await membership.TickAsync(_nodes, CancellationToken.None);

        _lifetime.Stopped.Should().BeFalse("the last heartbeat was 5 s ago");
    }

    [Fact]
    public async Task AWriteRefusedAtTheEpoch_StopsTheNode()
    {
        using var membership = Membership(_nodes);
        await membership.JoinAsync(CancellationToken.None);

        _node.Fence("a job write was refused");

        membership.IsFenced.Should().BeTrue();
        _lifetime.Stopped.Should().BeTrue();
    }

    [Fact]
    public async Task Stop_LeavesAtItsEpoch_ButNotOnceFenced()
    {
        using (var membership = Membership(_nodes))
        {
            await membership.JoinAsync(CancellationToken.None);
            await membership.StartAsync(CancellationToken.None);
            await membership.StopAsync(CancellationToken.None);
        }

        _nodes.Leaves.Should().Equal(("node-a", 1L));

        using (var fenced = Membership(_nodes))
        {
            await fenced.JoinAsync(CancellationToken.None);
            await fenced.StartAsync(CancellationToken.None);
            _node.Fence("a job write was refused");
            await fenced.StopAsync(CancellationToken.None);
        }

        _nodes.Leaves.Should().HaveCount(1);
    }

    [Fact]
    public async Task TheLoop_TicksOnTheClock()
    {
        using var membership = Membership(_nodes);
        await membership.JoinAsync(CancellationToken.None);
        await membership.StartAsync(CancellationToken.None);

        var beat = _nodes.NextHeartbeat();
        _clock.Advance(_options.HeartbeatInterval);
        await beat.WaitAsync(TimeSpan.FromSeconds(10));

        await membership.StopAsync(CancellationToken.None);
    }

    private sealed class FakeClusterNodes : IClusterNodes
    {
        private TaskCompletionSource _heartbeat = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long NextEpoch { get; set; } = 1;

        public bool Alive { get; set; } = true;

        public Exception? Failure { get; set; }

        public Queue<NodeTakeover> Stopped { get; } = new();

        public List<(string, string)> Joins { get; } = [];

        public List<(string, long)> Heartbeats { get; } = [];

        public List<(string, long)> Leaves { get; } = [];

        public int TakeOverAsks { get; private set; }

        public Task NextHeartbeat() => _heartbeat.Task;

        public Task<long> JoinAsync(string name, string instance, TimeSpan nodeTimeout, CancellationToken cancellationToken)
        {
            Joins.Add((name, instance));
            return Task.FromResult(NextEpoch);
        }

        public Task<bool> HeartbeatAsync(string name, long epoch, CancellationToken cancellationToken)
        {
            if (Failure is not null)
            {
                return Task.FromException<bool>(Failure);
            }

            Heartbeats.Add((name, epoch));
            Interlocked.Exchange(ref _heartbeat, new(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
            return Task.FromResult(Alive);
        }

        public Task LeaveAsync(string name, long epoch, CancellationToken cancellationToken)
        {
            Leaves.Add((name, epoch));
            return Task.CompletedTask;
        }

        public Task<NodeTakeover?> TakeOverNextAsync(string adopter, TimeSpan nodeTimeout,
            CancellationToken cancellationToken)
        {
            TakeOverAsks++;
            return Task.FromResult(Stopped.TryDequeue(out var next) ? next : null);
        }
    }

    private sealed class RecordingAdopter : IJobAdopter
    {
        public List<NodeTakeover> Adopted { get; } = [];

        public Task AdoptAsync(NodeTakeover takeover, CancellationToken cancellationToken)
        {
            Adopted.Add(takeover);
            return Task.CompletedTask;
        }
    }

    private sealed class StoppingLifetime : IHostApplicationLifetime
    {
        public bool Stopped { get; private set; }

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Stopped = true;
    }
}
