using System.Text.Json.Serialization;
using JobServer.Sdk;

namespace JobServer.Services.Exec;

/// <summary>The <c>options</c> of <c>exec.run</c>.</summary>
/// <param name="Cwd">Working directory (default: the daemon's).</param>
/// <param name="Env">Extra environment variables; secret, since they often carry tokens: a job shows each value as
/// <c>********</c>.</param>
/// <param name="Lock">Jobs with the same lock run one at a time (job lock <c>exec:&lt;lock&gt;</c>).</param>
/// <param name="TimeoutSeconds">Abort the run after this long.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record ExecRunOptions(
    string? Cwd = null,
    [property: Secret] Dictionary<string, string>? Env = null,
    string? Lock = null,
    double? TimeoutSeconds = null);

/// <summary>What a successful <c>exec.run</c> returns.</summary>
internal sealed record ExecResult(int ExitCode, string StdoutTail);
