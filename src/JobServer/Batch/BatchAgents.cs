using JobServer.Sdk.Errors;
using JobServer.Sessions;

namespace JobServer.Batch;

/// <summary>
/// The connected device agents: one per destination id and one destination per connection. A second agent for a
/// destination is refused (EBUSY) while the first one's connection lives; the entry goes when that connection
/// ends, so a restarted agent can register again at once.
/// </summary>
internal sealed class BatchAgents
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, BatchAgent> _byDestination = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BatchAgent> _bySession = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public BatchAgents(SessionRegistry sessions, TimeProvider time)
    {
        _time = time;
        sessions.Removed += Forget;
    }

    /// <summary>Registers the session as the agent of <paramref name="destination"/> (again: a fresh entry).</summary>
    public BatchAgent Register(ILiveSession session, string destination)
    {
        lock (_gate)
        {
            if (_bySession.TryGetValue(session.SessionId, out var own) && own.Destination != destination)
            {
                throw new CallError($"This connection is already the agent of {own.Destination}", Errno.EINVAL);
            }

            if (_byDestination.TryGetValue(destination, out var other) && other.Session.SessionId != session.SessionId)
            {
                throw new CallError($"Destination {destination} already has a connected agent", Errno.EBUSY);
            }

            var agent = new BatchAgent(destination, session, _time.GetUtcNow());
            _byDestination[destination] = agent;
            _bySession[session.SessionId] = agent;
            return agent;
        }
    }

    /// <summary>The agent the session registered; refused when it has not.</summary>
    public BatchAgent OfSession(ILiveSession session)
    {
        lock (_gate)
        {
            return _bySession.TryGetValue(session.SessionId, out var agent)
                ? agent
                : throw new CallError("Call batch.agent.register on this connection first", Errno.EINVAL);
        }
    }

    public bool TryGet(string destination, out BatchAgent agent)
    {
        lock (_gate)
        {
            return _byDestination.TryGetValue(destination, out agent!);
        }
    }

    public IReadOnlyList<BatchAgent> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _byDestination.Values];
            }
        }
    }

    private void Forget(ILiveSession session)
    {
        lock (_gate)
        {
            if (_bySession.Remove(session.SessionId, out var agent))
            {
                _byDestination.Remove(agent.Destination);
            }
        }
    }
}
