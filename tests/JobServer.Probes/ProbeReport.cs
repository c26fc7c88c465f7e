namespace JobServer.Probes;

/// <summary>
/// What a probe run found: its figures (for <c>docs/reliability.md</c> and the benchmark's table) and every
/// violation of what the daemon promises. A run with no violation passed.
/// </summary>
public sealed class ProbeReport(string name)
{
    private readonly List<ProbeFigure> _figures = [];
    private readonly List<string> _violations = [];
    private readonly Lock _gate = new();

    public string Name { get; } = name;

    public IReadOnlyList<ProbeFigure> Figures
    {
        get
        {
            lock (_gate)
            {
                return [.. _figures];
            }
        }
    }

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_gate)
            {
                return [.. _violations];
            }
        }
    }

    public bool Passed => Violations.Count == 0;

    public void AddFigure(string measurement, double value, string unit)
    {
        lock (_gate)
        {
            _figures.Add(new ProbeFigure(measurement, value, unit));
        }
    }

    /// <summary>Records a broken promise; the first few hundred are kept (a broken daemon breaks many).</summary>
    public void Violation(string what)
    {
        lock (_gate)
        {
            if (_violations.Count < 200)
            {
                _violations.Add(what);
            }
        }
    }

    public override string ToString() =>
        $"{Name}: {string.Join("; ", Figures.Select(f => $"{f.Measurement} = {f.Value:G6} {f.Unit}"))}" +
        (Passed ? "" : $"{Environment.NewLine}violations:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", Violations));
}

/// <summary>One figure of a probe run.</summary>
public sealed record ProbeFigure(string Measurement, double Value, string Unit);
