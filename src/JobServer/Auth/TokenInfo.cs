using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobServer.Auth;

/// <summary>What a token grants: who it signs in as, the attributes it was made for, and its limits.</summary>
/// <param name="Username">The account of the session that made the token.</param>
/// <param name="Roles">That session's roles when the token was made.</param>
/// <param name="Attributes">Free-form attributes, such as <c>{"job": 5}</c> for a download token.</param>
/// <param name="CreatorSessionId">The session that made it; the token dies when that session logs out or is
/// terminated.</param>
/// <param name="Origin">The only client address that may use it, or null for any.</param>
/// <param name="SingleUse">Destroyed on its first successful use.</param>
/// <param name="Ttl">The inactivity timeout: the token is valid until this long after its last use.</param>
internal sealed record TokenInfo(
    string Username,
    IReadOnlySet<string> Roles,
    JsonObject Attributes,
    string CreatorSessionId,
    IPAddress? Origin,
    bool SingleUse,
    TimeSpan Ttl)
{
    /// <summary>Whether the token was made for the job (<c>attrs.job</c>), as download tokens are.</summary>
    public bool IsForJob(long jobId) =>
        Attributes.TryGetPropertyValue("job", out var job) && job is JsonValue { } value &&
        value.GetValueKind() == JsonValueKind.Number &&
        long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign,
            CultureInfo.InvariantCulture, out var id) && id == jobId;
}
