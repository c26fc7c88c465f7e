using JobServer.Configuration;
using JobServer.Jobs;
using JobServer.Jobs.Storage;
using JobServer.Registry;
using Microsoft.Extensions.Options;

namespace JobServer.Cluster;

/// <summary>
/// This node's life in the cluster, on PostgreSQL (nothing on SQLite, where one daemon owns its database):
/// it joins at start (a new epoch, before recovery reads its unfinished jobs), heartbeats every
/// <c>HeartbeatInterval</c>, and on the same tick takes over any node that left or went silent for
/// <c>NodeTimeout</c> — failing that node's running jobs and queuing its waiting ones here
/// (<see cref="JobManager.AdoptAsync"/>). At a graceful stop it leaves, once its jobs are settled and written.
/// </summary>
/// <remarks>
/// A node that learns it was declared dead (a heartbeat or a job write refused at its epoch), or that could not
/// reach the database for <c>NodeTimeout</c> — after which the others will have declared it dead — stops at once
/// with exit code <see cref="FencedExitCode"/>: its running jobs now belong to the cluster's decision, and running
/// on unseen could do their work twice. systemd's <c>Restart=on-failure</c> brings it back as a new member.
/// </remarks>
internal sealed partial class NodeMembership : IHostedService, IDisposable
{
    /// <summary>EX_TEMPFAIL: the node stopped itself because it lost its place in the cluster; a restart is right.</summary>
    public const int FencedExitCode = 75;

    private readonly IClusterNodes? _nodes;
    private readonly ClusterNode _node;
    private readonly ClusterOptions _options;
    private readonly IJobAdopter _adopter;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger<NodeMembership> _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private DateTimeOffset _lastHeartbeat;
    private int _fenced;

    /// <param name="nodes">Null on SQLite: there is no cluster to be a member of.</param>
    public NodeMembership(IClusterNodes? nodes, ClusterNode node, IOptions<ClusterOptions> options,
        IJobAdopter adopter, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<NodeMembership> logger)
    {
        _nodes = nodes;
        _node = node;
        _options = options.Value;
        _adopter = adopter;
        _lifetime = lifetime;
        _time = time;
        _logger = logger;
        node.Fenced += Fence;
    }

    /// <summary>Whether this node gave up its place (and is stopping).</summary>
    public bool IsFenced => Volatile.Read(ref _fenced) == 1;

    /// <summary>Joins the cluster (the store is open, recovery has not run yet). Nothing on SQLite.</summary>
    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        if (_nodes is null)
        {
            return;
        }

        var epoch = await _nodes.JoinAsync(_node.Name, _node.Instance, _options.NodeTimeout, cancellationToken);
        _node.Joined(epoch);
        _lastHeartbeat = _time.GetUtcNow();
        LogJoined(_logger, _node.Name, epoch);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_nodes is not null && _node.Epoch > 0)
        {
            // The timer starts counting now, on the daemon's clock, not whenever the loop's task gets going.
            var timer = new PeriodicTimer(_options.HeartbeatInterval, _time);
            _loop = Task.Run(() => RunAsync(_nodes, timer, _stop.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_loop is null)
        {
            return;
        }

        await _stop.CancelAsync();
        await _loop;
        if (IsFenced)
        {
            return;
        }

        try
        {
            // The graceful stop settled and wrote this node's jobs before the hosted services stop.
            await _nodes!.LeaveAsync(_node.Name, _node.Epoch, cancellationToken);
            LogLeft(_logger, _node.Name);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The others will declare it gone after NodeTimeout instead.
            LogLeaveFailed(_logger, e, _node.Name);
        }
    }

    /// <summary>One tick: heartbeat, then take over whatever stopped. Internal so the unit tests can tick it on their fake clock.</summary>
    internal async Task TickAsync(IClusterNodes nodes, CancellationToken cancellationToken)
    {
        if (!await HeartbeatAsync(nodes, cancellationToken))
        {
            return;
        }

        try
        {
            while (!IsFenced && await nodes.TakeOverNextAsync(_node.Name, _options.NodeTimeout, cancellationToken)
                       is { } takeover)
            {
                LogTakingOver(_logger, takeover.Node, takeover.Left ? "left the cluster" : "stopped heartbeating",
                    takeover.Jobs.Count);
                await _adopter.AdoptAsync(takeover, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSweepFailed(_logger, e);
        }
    }

    private async Task RunAsync(IClusterNodes nodes, PeriodicTimer timer, CancellationToken cancellationToken)
    {
        using var _ = timer;
        try
        {
            while (!IsFenced && await timer.WaitForNextTickAsync(cancellationToken))
            {
                await TickAsync(nodes, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task<bool> HeartbeatAsync(IClusterNodes nodes, CancellationToken cancellationToken)
    {
        try
        {
            if (!await nodes.HeartbeatAsync(_node.Name, _node.Epoch, cancellationToken))
            {
                Fence("the cluster declared it dead (its heartbeat was refused)");
                return false;
            }

            _lastHeartbeat = _time.GetUtcNow();
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var silent = _time.GetUtcNow() - _lastHeartbeat;
            LogHeartbeatFailed(_logger, e, silent.TotalSeconds);
            if (silent >= _options.NodeTimeout)
            {
                Fence($"it could not reach the database for {silent.TotalSeconds:0} s, so the cluster has declared it dead");
            }

            return false;
        }
    }

    private void Fence(string reason)
    {
        if (Interlocked.Exchange(ref _fenced, 1) == 1)
        {
            return;
        }

        LogFenced(_logger, _node.Name, _node.Epoch, reason);
        _lifetime.StopApplication();
    }

    public void Dispose()
    {
        _node.Fenced -= Fence;
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Joined the cluster as node {Node} (epoch {Epoch})")]
    private static partial void LogJoined(ILogger logger, string node, long epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Left the cluster: node {Node}'s waiting jobs go to the other nodes")]
    private static partial void LogLeft(ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not leave the cluster as node {Node}; the others will take over after its timeout")]
    private static partial void LogLeaveFailed(ILogger logger, Exception error, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Taking over node {Node}, which {How}: {Jobs} unfinished job(s)")]
    private static partial void LogTakingOver(ILogger logger, string node, string how, int jobs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for stopped nodes failed; trying again on the next heartbeat")]
    private static partial void LogSweepFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat failed ({SilentSeconds:0.0} s since the last one)")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception error, double silentSeconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Node {Node} (epoch {Epoch}) is stopping: {Reason}")]
    private static partial void LogFenced(ILogger logger, string node, long epoch, string reason);
}
