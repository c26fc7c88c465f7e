using System.Text.Json;
using JobServer.Calls;

namespace JobServer.Protocol.Inbound;

/// <summary>What <see cref="InboundJson.Parse"/> made of a message.</summary>
/// <param name="Document">The parsed message; null when it is not JSON. The caller disposes it.</param>
/// <param name="SyntaxError">The parser's complaint when the message is not JSON.</param>
/// <param name="Problems">Why well-formed JSON is still refused (duplicate keys, lone surrogates), first
/// found first; empty for a sound message.</param>
internal sealed record InboundMessage(
    JsonDocument? Document, string? SyntaxError, IReadOnlyList<InboundProblem> Problems) : IDisposable
{
    public static InboundMessage NotJson(string error) => new(null, error, []);

    /// <summary>The first problem found, or null for a sound message.</summary>
    public InboundProblem? Problem => Problems.Count > 0 ? Problems[0] : null;

    /// <summary>
    /// Whether the root's keys can all be read. A lone surrogate in any one key makes every
    /// <c>TryGetProperty</c> on that object throw (it unescapes the keys it passes), so nothing may be looked up.
    /// </summary>
    public bool KeysAreReadable => Problems.All(p => p.Member is not null);

    /// <summary>
    /// Whether a top-level member can be read as it is: no problem at or under it, and none that makes the
    /// whole message untrustworthy (a key that cannot be read).
    /// </summary>
    public bool IsSound(string member) => Problems.All(p => p.Member is not null && !p.Concerns(member));

    /// <summary>
    /// The problem to refuse a call's parameters with when the envelope itself is sound (every problem lies
    /// inside one of the positional parameters); null otherwise.
    /// </summary>
    public InboundProblem? ParametersOnlyProblem =>
        Problems.Count > 0 && Problems.All(p => p.IsInParameters) ? Problems[0] : null;

    public void Dispose() => Document?.Dispose();
}
