using System.Text.Json;
using JobServer.Registry;

namespace JobServer.Jobs;

/// <summary>A validated call asking the <see cref="IJobScheduler"/> to be admitted as a job.</summary>
/// <param name="Method">The job method.</param>
/// <param name="RawArguments">The call's arguments, to recognize the very same call waiting on a full lock.</param>
/// <param name="LockName">The resolved lock, or null.</param>
/// <param name="Owner">Who calls (the job's owner).</param>
/// <param name="MayJoin">Whether the call may join a waiting job (a call with pipes never does: its upload or
/// download belongs to a job of its own).</param>
/// <param name="QuotaLimit">Most unfinished jobs the owner may have; 0 for no limit (or an exempt caller).</param>
internal readonly record struct JobAdmission(
    MethodDescriptor Method,
    JsonElement RawArguments,
    string? LockName,
    string? Owner,
    bool MayJoin,
    int QuotaLimit);
