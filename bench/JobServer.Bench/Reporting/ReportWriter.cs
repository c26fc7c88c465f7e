using System.Text;

namespace JobServer.Bench.Reporting;

/// <summary>Prints results to the console and renders docs/benchmarks.md (one table per scenario).</summary>
internal static class ReportWriter
{
    public static void PrintScenario(ScenarioResult result)
    {
        Console.WriteLine();
        Console.WriteLine($"== {result.Title}");
        if (result.Failure is not null)
        {
            Console.WriteLine($"   {result.Failure}");
        }

        foreach (var row in result.Rows)
        {
            Console.WriteLine($"   {row.Measurement}");
            Console.WriteLine($"      JobServer: {Line(row.Ours)}");
            if (row.Peer is not null)
            {
                Console.WriteLine($"      {row.PeerName}: {Line(row.Peer)}");
            }

            if (row.RatioText.Length > 0)
            {
                Console.WriteLine($"      ratio: {row.RatioText}");
            }
        }
    }

    public static string Markdown(IEnumerable<(string Number, ScenarioResult Result)> results, string command, DateTimeOffset date, string loadAverage,
        TimeSpan warmUp)
    {
        var md = new StringBuilder();
        md.AppendLine("# Benchmarks");
        md.AppendLine();
        md.AppendLine("Written by the benchmark harness (`bench/JobServer.Bench`, see `bench/README.md`); do not edit by hand.");
        md.AppendLine();
        md.AppendLine($"- command: `{command}`");
        md.AppendLine($"- date: {date:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine($"- machine: {MachineInfo.Describe()}; load average at the start {loadAverage}");
        md.AppendLine($"- figures are medians over rounds (after a warm-up of at least {warmUp.TotalSeconds:0} s and one round, the same for both sides: the daemon's code is JIT-compiled and re-optimised for seconds after it starts, and a shorter warm-up measured that instead of a running daemon); p50 / p99 are latencies pooled over every sample of every round; ratio = JobServer ÷ ceiling or peer");
        foreach (var (number, result) in results)
        {
            md.AppendLine();
            md.AppendLine($"## {number}. {result.Title}");
            md.AppendLine();
            if (result.Failure is not null)
            {
                md.AppendLine($"**{result.Failure}**");
                md.AppendLine();
            }

            if (result.Rows.Count > 0)
            {
                md.AppendLine("| measurement | JobServer | p50 / p99 | ceiling or peer | figure | p50 / p99 | ratio |");
                md.AppendLine("|---|---:|---:|---|---:|---:|---:|");
                foreach (var row in result.Rows)
                {
                    md.AppendLine($"| {row.Measurement} | {Cell(row.Ours?.ValueText)} | {row.Ours?.LatencyText} | {row.PeerName} | {Cell(row.Peer?.ValueText)} | {row.Peer?.LatencyText} | {row.RatioText} |");
                }
            }

            foreach (var note in result.Notes)
            {
                md.AppendLine();
                md.AppendLine($"- {note}");
            }
        }

        // The analysis that goes with the figures (the profile behind them) is kept beside the harness.
        var analysis = Path.Combine(Infrastructure.BenchPaths.RepositoryRoot, "bench", "JobServer.Bench", "Reporting", "WhatLimitsUs.md");
        if (File.Exists(analysis))
        {
            md.AppendLine();
            md.Append(File.ReadAllText(analysis));
        }

        return md.ToString();
    }

    private static string Line(Figure? figure) =>
        figure is null ? "" : figure.LatencyText.Length == 0 ? figure.ValueText : $"{figure.ValueText}   (p50 / p99: {figure.LatencyText})";

    private static string Cell(string? text) => text?.Replace("|", "\\|", StringComparison.Ordinal) ?? "";
}
