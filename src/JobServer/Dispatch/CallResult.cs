using JobServer.Calls;
using JobServer.Jobs;

namespace JobServer.Dispatch;

/// <summary>
/// What <see cref="Dispatcher.InvokeAsync"/> gives a door: the outcome to render, and the job the call started
/// (an upload waits for it to read the file; a download offers its output; <c>core.bulk</c> reports its id even
/// when it failed). <see cref="Job"/> is null when no job was created.
/// </summary>
internal readonly record struct CallResult(CallOutcome Outcome, Job? Job = null)
{
    public static implicit operator CallResult(CallOutcome outcome) => new(outcome);
}
