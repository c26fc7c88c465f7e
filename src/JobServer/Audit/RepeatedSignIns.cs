using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace JobServer.Audit;

/// <summary>
/// An HTTP door signs in on every request, so a script polling with its API key would make a sign-in event of
/// each request: a row per <c>GET</c>, and soon a table in which <see cref="AuditOptions.MaxRows"/> holds only the
/// last minutes of polling. This remembers when a credential (an account's password, its tokens, each API key) last signed in successfully from an address, so such a
/// sign-in is recorded once per <see cref="AuditOptions.RepeatedSignInSeconds"/>. Failures are always recorded, and
/// the calls that change state are recorded one by one whatever door they came through.
/// </summary>
internal sealed class RepeatedSignIns(IOptions<AuditOptions> options, TimeProvider time)
{
    /// <summary>Credentials remembered at most; past it every sign-in is recorded (bounded memory first).</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<(string Username, string Credential, long? ApiKeyId, IPAddress? Address), long> _lastRecorded = new();
    private readonly TimeSpan _window = TimeSpan.FromSeconds(options.Value.RepeatedSignInSeconds);

    /// <summary>Whether this successful per-request sign-in is the first of its window (and so is recorded).</summary>
    public bool IsFirstInWindow(string username, string credential, long? apiKeyId, IPAddress? address)
    {
        if (_window <= TimeSpan.Zero)
        {
            return true;
        }

        var now = time.GetTimestamp();
        var key = (username, credential, apiKeyId, address);
        if (_lastRecorded.TryGetValue(key, out var last) && time.GetElapsedTime(last, now) < _window)
        {
            return false;
        }

        if (_lastRecorded.Count >= Capacity)
        {
            Prune(now);
        }

        // Two requests racing here may both be recorded: harmless, the window is a bound on the rows, not a promise.
        if (_lastRecorded.Count < Capacity || _lastRecorded.ContainsKey(key))
        {
            _lastRecorded[key] = now;
        }

        return true;
    }

    private void Prune(long now)
    {
        foreach (var (key, last) in _lastRecorded)
        {
            if (time.GetElapsedTime(last, now) >= _window)
            {
                _lastRecorded.TryRemove(key, out _);
            }
        }
    }
}
