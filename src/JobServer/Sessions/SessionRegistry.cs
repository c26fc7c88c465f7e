using System.Collections.Concurrent;

namespace JobServer.Sessions;

/// <summary>The live sessions, for shutdown (close them all with a close frame) and session listings.</summary>
internal sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<string, ILiveSession> _sessions = new(StringComparer.Ordinal);

    public IEnumerable<ILiveSession> All => _sessions.Values;

    public int Count => _sessions.Count;

    public void Add(ILiveSession session) => _sessions[session.SessionId] = session;

    /// <summary>Raised when a connection ends (accounts use it to end the session's sign-in).</summary>
    public event Action<ILiveSession>? Removed;

    public void Remove(ILiveSession session)
    {
        if (_sessions.TryRemove(session.SessionId, out _))
        {
            Removed?.Invoke(session);
        }
    }

    public bool TryGet(string sessionId, out ILiveSession session) => _sessions.TryGetValue(sessionId, out session!);
}
