using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Jobs;
using JobServer.Sessions;

namespace JobServer.Dispatch;

/// <summary>
/// One call, as every door hands it to <see cref="Dispatcher.InvokeAsync"/>: a WebSocket dialect, an HTTP
/// endpoint, <c>core.bulk</c> or a service calling on behalf of its caller. A door translates its wire format to
/// this and renders the <see cref="CallResult"/>; nothing else about a call differs between doors.
/// </summary>
/// <param name="Caller">Who calls (a snapshot: a sign-in during the call does not change it).</param>
/// <param name="Method">The method's full name, such as <c>core.get_jobs</c>.</param>
/// <param name="Parameters">The positional parameters (an array, or undefined for none).</param>
internal sealed record CallRequest(Caller Caller, string Method, JsonElement Parameters)
{
    /// <summary>The connection the call came on, for methods that act on it; null from HTTP, a job or a bulk call.</summary>
    public ILiveSession? Session { get; init; }

    /// <summary>The request id, recorded in a job's <c>message_ids</c>.</summary>
    public JsonNode? MessageId { get; init; }

    /// <summary>The streams of an upload or download: the method must then be a job that declares them.</summary>
    public IJobPipes? Pipes { get; init; }

    /// <summary>Private methods may be called (JSON-RPC <c>private_methods</c>; the daemon's own log download).</summary>
    public bool AllowPrivate { get; init; }

    /// <summary>Why the inbound parse refused the parameters: the call then fails validation (after lookup and
    /// authorization) and nothing runs.</summary>
    public InboundProblem? ParametersProblem { get; init; }

    /// <summary>What a job method answers: its id, or its outcome once it ended.</summary>
    public JobHandling Jobs { get; init; } = JobHandling.AnswerId;
}
