using System.Collections.Concurrent;

namespace JobServer.Protocol;

/// <summary>The live sessions, for shutdown (close them all with a close frame) and session listings.</summary>
internal sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    public IEnumerable<Session> All => _sessions.Values;

    public int Count => _sessions.Count;

    public void Add(Session session) => _sessions[session.SessionId] = session;

    /// <summary>Raised when a connection ends (accounts use it to end the session's sign-in).</summary>
    public event Action<Session>? Removed;

    public void Remove(Session session)
    {
        if (_sessions.TryRemove(session.SessionId, out _))
        {
            Removed?.Invoke(session);
        }
    }

    public bool TryGet(string sessionId, out Session session) => _sessions.TryGetValue(sessionId, out session!);
}
