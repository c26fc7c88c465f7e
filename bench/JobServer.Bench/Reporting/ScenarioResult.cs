namespace JobServer.Bench.Reporting;

/// <summary>What one scenario produced: its rows, and notes on how it was measured.</summary>
internal sealed class ScenarioResult(string name, string title)
{
    public string Name { get; } = name;

    public string Title { get; } = title;

    public List<Row> Rows { get; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>A failure that ended the scenario early (the rows before it stand).</summary>
    public string? Failure { get; set; }

    public bool Failed => Failure is not null || Rows.Any(r => r.IsFailure);
}
