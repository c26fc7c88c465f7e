using Spectre.Console;

namespace JobServer.Cli;

/// <summary>
/// Shows progress on standard error (so standard output holds only the result): a Spectre.Console bar on a
/// terminal, plain lines otherwise.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>A bar on a terminal, lines elsewhere, nothing for <c>--json</c> (a script reads standard error as JSON).</summary>
    public static ProgressMode DefaultMode(bool json) =>
        json ? ProgressMode.None : Console.IsErrorRedirected ? ProgressMode.Description : ProgressMode.ProgressBar;

    /// <summary>Runs <paramref name="work"/>, showing what it reports as (percent or null, description or null).</summary>
    public static async Task<T> RunAsync<T>(string label, ProgressMode mode, Func<IProgress<(double? Percent, string? Text)>, Task<T>> work)
    {
        if (mode == ProgressMode.None)
        {
            return await work(new NoProgress());
        }

        if (mode == ProgressMode.Description)
        {
            return await work(new LineProgress());
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(),
                new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(label), maxValue: 100);
                task.IsIndeterminate = true;
                var result = await work(new BarProgress(task, label));
                task.IsIndeterminate = false;
                task.Value = 100;
                task.StopTask();
                return result;
            });
    }

    private sealed class BarProgress(ProgressTask task, string label) : IProgress<(double? Percent, string? Text)>
    {
        public void Report((double? Percent, string? Text) value)
        {
            if (value.Percent is { } percent)
            {
                task.IsIndeterminate = false;
                task.Value = Math.Clamp(percent, 0, 100);
            }

            task.Description = Markup.Escape(value.Text is { Length: > 0 } text ? $"{label}: {text}" : label);
        }
    }

    private sealed class NoProgress : IProgress<(double? Percent, string? Text)>
    {
        public void Report((double? Percent, string? Text) value)
        {
        }
    }

    /// <summary>midclt's <c>-jp description</c>: a line whenever what is shown changes.</summary>
    private sealed class LineProgress : IProgress<(double? Percent, string? Text)>
    {
        private readonly Lock _gate = new();
        private string? _last;

        public void Report((double? Percent, string? Text) value)
        {
            var text = value.Text is { Length: > 0 } t ? $": {t}" : "";
            var line = value.Percent is { } percent ? $"{Math.Floor(percent)}%{text}" : value.Text ?? "";
            lock (_gate)
            {
                if (line.Length == 0 || line == _last)
                {
                    return;
                }

                _last = line;
                Console.Error.WriteLine(line);
            }
        }
    }
}
