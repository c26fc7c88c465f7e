using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Jobs.Storage;
using JobServer.Registry;

namespace JobServer.Jobs;

/// <summary>
/// A job while it lives in the daemon. Only the <see cref="JobManager"/> changes it; every change is taken as
/// a <see cref="Snapshot"/>, persisted, and then published. Fields are guarded by one lock per job because
/// progress, abort and completion arrive on different threads.
/// </summary>
internal sealed class Job : IQueuedJob
{
    private readonly Lock _gate = new();
    private readonly List<JsonNode?> _messageIds = [];
    private JobState _state = JobState.Waiting;
    private JobProgress _progress = JobProgress.Initial;
    private string? _description;
    private string? _logsPath;
    private string? _logsExcerpt;
    private JsonNode? _result;
    private string? _error;
    private string? _exception;
    private JsonObject? _excInfo;
    private DateTimeOffset? _timeFinished;
    private string? _pendingArgumentsJson;
    private volatile bool _endCommitted;

    // Parts of the snapshot that rarely change, serialized once rather than at every snapshot (a job is
    // snapshotted at least three times: added, running, finished).
    private string? _argumentsJson;
    private string? _callerRoles;
    private string? _messageIdsJson;
    private (JobProgress Progress, string Json)? _progressJson;

    public Job(long id, JobRequest request, DateTimeOffset created)
    {
        Id = id;
        Request = request;
        TimeStarted = created;
        _description = request.Description;
        _pendingArgumentsJson = request.RawArguments.ValueKind == JsonValueKind.Undefined
            ? "[]"
            : request.RawArguments.GetRawText();
        if (request.MessageId is not null)
        {
            _messageIds.Add(request.MessageId.DeepClone());
        }
    }

    public long Id { get; }

    public JobRequest Request { get; }

    public MethodDescriptor Method => Request.Method;

    public string? LockName => Request.LockName;

    public DateTimeOffset TimeStarted { get; }

    /// <summary>When its body started (a <see cref="TimeProvider"/> timestamp; 0 before): for <see cref="JobMetrics"/>.</summary>
    public long RunningSince { get; set; }

    /// <summary>Cancelled by <c>core.job_abort</c> or a timeout.</summary>
    public CancellationTokenSource Abort { get; } = new();

    /// <summary>
    /// Held while a change is snapshotted and queued to the writer, so the job's changes are queued (and so
    /// committed and published) in the order they happened.
    /// </summary>
    public Lock PublishGate { get; } = new();

    /// <summary>
    /// The abort's grace timer, while an aborted job has not stopped: when it fires first the job is abandoned
    /// (ABORTED, lock released); the job's finish disposes it.
    /// </summary>
    public ITimer? GraceTimer { get; set; }

    /// <summary>
    /// Completes when the job reaches a terminal state — also when that state could not be committed (the store
    /// failed): see <see cref="EndCommitted"/> before answering from memory.
    /// </summary>
    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Whether the terminal state is durable (its commit succeeded, or the job is transient and never stored); set
    /// before <see cref="Finished"/> completes. When false after <see cref="Finished"/>, the stored row still holds
    /// the last committed state, so a reader that promises durability must read the store instead of this job.
    /// </summary>
    public bool EndCommitted => _endCommitted;

    /// <summary>Called by the <see cref="JobManager"/> once the terminal state committed.</summary>
    public void MarkEndCommitted() => _endCommitted = true;

    public JobState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    public JobProgress Progress
    {
        get
        {
            lock (_gate)
            {
                return _progress;
            }
        }
    }

    /// <summary>The result as JSON, once SUCCESS.</summary>
    public JsonNode? Result
    {
        get
        {
            lock (_gate)
            {
                return _result?.DeepClone();
            }
        }
    }

    /// <summary>Why the job was aborted (set by <see cref="RequestAbort"/>).</summary>
    public string? AbortReason { get; private set; }

    /// <summary>Asks the job to stop; the first reason given wins.</summary>
    public void RequestAbort(string reason)
    {
        lock (_gate)
        {
            AbortReason ??= reason;
        }

        Abort.Cancel();
    }

    /// <summary>Puts back the message ids a recovered job had before the restart.</summary>
    public void RestoreMessageIds(IEnumerable<JsonNode?> messageIds)
    {
        lock (_gate)
        {
            _messageIds.Clear();
            _messageIds.AddRange(messageIds.Select(m => m?.DeepClone()));
            _messageIdsJson = null;
        }
    }

    public void AddMessageId(JsonNode? messageId)
    {
        lock (_gate)
        {
            _messageIds.Add(messageId?.DeepClone());
            _messageIdsJson = null;
        }
    }

    /// <summary>Moves to RUNNING; false when the job was aborted meanwhile.</summary>
    public bool TryStart(string? logsPath)
    {
        lock (_gate)
        {
            if (_state != JobState.Waiting)
            {
                return false;
            }

            _state = JobState.Running;
            _logsPath = logsPath;
            if (!Request.Job.Resumable)
            {
                _pendingArgumentsJson = null; // A resumable job keeps its arguments: a restart runs it again.
            }

            return true;
        }
    }

    public void SetProgress(JobProgress progress)
    {
        lock (_gate)
        {
            _progress = progress;
        }
    }

    public void SetDescription(string description)
    {
        lock (_gate)
        {
            _description = description;
        }
    }

    /// <summary>Moves to a terminal state once; later attempts (a body finishing after its abort) are ignored.</summary>
    public bool TryFinish(JobOutcome outcome, DateTimeOffset now, string? logsExcerpt)
    {
        lock (_gate)
        {
            if (_state.IsFinished())
            {
                return false;
            }

            _state = outcome.State;
            _timeFinished = now;
            _result = outcome.Result;
            _error = outcome.Error;
            _exception = outcome.Exception;
            _excInfo = outcome.ExcInfo;
            _logsExcerpt = logsExcerpt;
            _pendingArgumentsJson = null;
            if (outcome.State == JobState.Success && _progress.Percent != 100)
            {
                _progress = _progress with { Percent = 100 };
            }

            return true;
        }
    }

    /// <summary>A consistent copy of the job, for the writer and the event.</summary>
    public JobRecord Snapshot()
    {
        lock (_gate)
        {
            return new JobRecord
            {
                Id = Id,
                Method = Method.Name,
                State = _state.WireName(),
                Description = _description,
                Transient = Request.Job.Transient,
                Abortable = Request.Job.Abortable,
                LockName = LockName,
                LogsPath = _logsPath,
                LogsExcerpt = _logsExcerpt,
                Error = _error,
                Exception = _exception,
                TimeStarted = TimeStarted.UtcDateTime,
                TimeFinished = _timeFinished?.UtcDateTime,
                Username = Request.Caller.Username,
                CredentialType = Request.Caller.CredentialType,
                CallerRoles = _callerRoles ??= string.Join(',', Request.Caller.Roles),
                ArgumentsJson = _argumentsJson ??= Request.RedactedArguments.ToJsonString(),
                PendingArgumentsJson = _pendingArgumentsJson,
                ProgressJson = ProgressJson(),
                ResultJson = _result?.ToJsonString(),
                ExcInfoJson = _excInfo?.ToJsonString(),
                MessageIdsJson = _messageIdsJson ??=
                    new JsonArray(_messageIds.Select(m => m?.DeepClone()).ToArray()).ToJsonString(),
            };
        }
    }

    /// <summary>The progress as JSON, serialized again only when it changed (the caller holds the lock).</summary>
    private string ProgressJson()
    {
        if (_progressJson is not { } cached || !ReferenceEquals(cached.Progress, _progress))
        {
            cached = (_progress, _progress.ToJson().ToJsonString());
            _progressJson = cached;
        }

        return cached.Json;
    }
}
