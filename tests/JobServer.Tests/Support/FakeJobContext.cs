using System.Text.Json.Nodes;
using JobServer.Sdk;

namespace JobServer.Tests.Support;

/// <summary>An <see cref="IJobContext"/> over real streams that records progress and can be aborted.</summary>
internal sealed class FakeJobContext(Stream? input = null, Stream? output = null) : IJobContext, IDisposable
{
    private readonly CancellationTokenSource _abort = new();

    public List<(int? Percent, string? Description)> Progress { get; } = [];

    /// <summary>Called on every progress report (a test aborts from here, mid-transfer).</summary>
    public Action<FakeJobContext>? OnProgress { get; set; }

    public long JobId => 1;

    public TextWriter Log => TextWriter.Null;

    public CancellationToken Aborted => _abort.Token;

    public bool HasInput => input is not null;

    public bool HasOutput => output is not null;

    public Stream Input => input ?? throw new InvalidOperationException("no input pipe");

    public Stream Output => output ?? throw new InvalidOperationException("no output pipe");

    public void Abort() => _abort.Cancel();

    public void SetProgress(int? percent, string? description = null, JsonNode? extra = null)
    {
        Progress.Add((percent, description));
        OnProgress?.Invoke(this);
    }

    public void SetDescription(string description)
    {
    }

    public void Dispose() => _abort.Dispose();
}
