using System.Text.Json.Nodes;
using JobServer.Sdk;

namespace JobServer.Tests.Config;

/// <summary>A job context over in-memory pipes that records the progress a job reports.</summary>
internal sealed class FakeJobContext(Stream? input = null, Stream? output = null) : IJobContext
{
    private readonly CancellationTokenSource _abort = new();

    public long JobId => 7;

    public List<(int? Percent, string? Description)> Progress { get; } = [];

    public void SetProgress(int? percent, string? description = null, JsonNode? extra = null) =>
        Progress.Add((percent, description));

    public void SetDescription(string description)
    {
    }

    public TextWriter Log => TextWriter.Null;

    public CancellationToken Aborted => _abort.Token;

    public void Abort() => _abort.Cancel();

    public bool HasInput => input is not null;

    public bool HasOutput => output is not null;

    public Stream Input => input ?? throw new InvalidOperationException("No input pipe");

    public Stream Output => output ?? throw new InvalidOperationException("No output pipe");
}
