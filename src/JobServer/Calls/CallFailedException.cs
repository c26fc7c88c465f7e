using JobServer.Sdk.Errors;

namespace JobServer.Calls;

/// <summary>
/// Re-raises a call's error as it was: a service that makes a call on its caller's behalf (<c>core.download</c>
/// starting the job it offers) fails with that call's own error, validation type and all
/// (<see cref="ErrorMapper"/> maps it back unchanged).
/// </summary>
internal sealed class CallFailedException(ErrorInfo error) : CallError(error.Reason, error.Errno, error.Extra)
{
    public ErrorInfo Error { get; } = error;
}
