using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace JobServer.Workers.Channel;

/// <summary>The worker is up: its process id.</summary>
internal sealed record ReadyMessage(int Pid);

/// <summary>
/// One job for a worker: where the service lives (its assembly, null for the daemon's own, and type), the method,
/// the call's raw positional arguments (bound again in the worker with the same binder), and who called it.
/// </summary>
internal sealed record RunMessage(
    long JobId,
    string? AssemblyPath,
    string TypeName,
    string Method,
    JsonElement? Arguments,
    RunCaller Caller,
    bool HasInput,
    bool HasOutput,
    bool Logs);

/// <summary>The job's stored caller, as the worker's <c>ICallContext</c> shows it (rights are checked in the daemon).</summary>
internal sealed record RunCaller(string SessionId, string? Username, string[] Roles, string? CredentialType);

/// <summary>A progress report: only the values given change (as <c>IJobContext.SetProgress</c>).</summary>
internal sealed record ProgressMessage(int? Percent, string? Description, JsonNode? Extra);

/// <summary>A call of another method, made by the job as its caller.</summary>
internal sealed record CallMessage(long Id, string Method, JsonArray? Parameters);

/// <summary>A call's answer: its result, or its error as the daemon's dispatcher gave it.</summary>
internal sealed record CallResultMessage(long Id, JsonNode? Result, WireError? Error);

/// <summary>An error that crosses the channel with its errno, type (VALIDATION), reason and extra intact.</summary>
internal sealed record WireError(int Errno, string? Type, string Reason, JsonNode? Extra);

/// <summary>How a job ended in its worker (<see cref="Jobs.JobOutcome"/>'s fields).</summary>
internal sealed record DoneMessage(
    string State,
    JsonNode? Result,
    string? Error,
    string? Exception,
    JsonObject? ExcInfo,
    bool OutOfMemory);

/// <summary>Source-generated serialization of the channel's messages: no reflection on either side.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ReadyMessage))]
[JsonSerializable(typeof(RunMessage))]
[JsonSerializable(typeof(ProgressMessage))]
[JsonSerializable(typeof(CallMessage))]
[JsonSerializable(typeof(CallResultMessage))]
[JsonSerializable(typeof(DoneMessage))]
internal sealed partial class WorkerJson : JsonSerializerContext;
