using System.Diagnostics.Metrics;
using System.Net;
using System.Threading.Channels;
using JobServer.Calls;
using Microsoft.Extensions.Options;

namespace JobServer.Audit;

/// <summary>
/// The audit log: every sign-in (from <c>Auth.SignInGuard</c>) and every call that may change state (from the
/// Dispatcher, see <see cref="AuditedMethods"/>), with the caller, method, client address and outcome. Each event is
/// a structured log event at once (source <c>JobServer.Audit</c>) and a row of the <c>audit</c> table soon after
/// (<see cref="AuditWriter"/>, batched). Recording never waits: the queue is bounded
/// (<see cref="AuditOptions.QueueCapacity"/>), and an event that finds it full is still logged but not stored,
/// counted in <c>jobserver.audit.dropped</c>.
/// </summary>
internal sealed partial class AuditLog
{
    /// <summary>Arguments longer than this are cut (a call's arguments are bounded by the message size anyway).</summary>
    public const int MaxArgumentChars = 2000;

    private readonly Channel<AuditEvent> _queue;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Counter<long> _dropped;

    public AuditLog(IOptions<AuditOptions> options, TimeProvider time, ILoggerFactory loggers, IMeterFactory meters)
    {
        _queue = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full; nothing waits.
        });
        _time = time;
        _logger = loggers.CreateLogger("JobServer.Audit");
        _dropped = DaemonMeter.Create(meters).CreateCounter<long>("jobserver.audit.dropped", "{event}",
            "Audit events logged but not stored because the audit writer's queue was full");
    }

    /// <summary>What the writer drains.</summary>
    public ChannelReader<AuditEvent> Pending => _queue.Reader;

    /// <summary>A checked sign-in, successful or not (never the secret).</summary>
    public void SignIn(string? username, string credential, IPAddress? address, bool success, string result) =>
        Record(new AuditEvent(_time.GetUtcNow(), AuditEvent.SignInEvent, username, credential, null,
            address?.ToString(), success, success ? null : result, null));

    /// <summary>A call that may change state, as it ended; <paramref name="arguments"/> already redacted.</summary>
    public void Call(Caller caller, string method, string? arguments, ErrorInfo? error) =>
        Record(new AuditEvent(_time.GetUtcNow(), AuditEvent.CallEvent, caller.Username, caller.CredentialType,
            method, caller.ClientAddress?.ToString(), error is null, error?.ErrName,
            arguments is { Length: > MaxArgumentChars } ? arguments[..MaxArgumentChars] : arguments));

    /// <summary>Stops taking events; the writer stores what is queued and ends.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private void Record(AuditEvent audit)
    {
        LogEvent(_logger, audit.Event, audit.Method, audit.Username, audit.Credential, audit.Address,
            audit.Success ? "success" : "failure", audit.Error);
        if (!_queue.Writer.TryWrite(audit))
        {
            _dropped.Add(1);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Audit {AuditEvent} {Method} by {Username} ({Credential}) from {RemoteAddress}: {Outcome} {Error}")]
    private static partial void LogEvent(ILogger logger, string auditEvent, string? method, string? username,
        string? credential, string? remoteAddress, string outcome, string? error);
}
