using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Client;
using Spectre.Console;

namespace JobServer.Cli;

/// <summary><c>jobctl jobs list|show|logs|abort|wait</c>: what midclt users otherwise do with core.get_jobs by hand.</summary>
internal static class JobsCommands
{
    public static Command Jobs() => new("jobs", "List, show, follow, abort and wait for jobs")
    {
        List(), Show(), Logs(), Abort(), Wait(),
    };

    private static Argument<long> JobId() => new("ID") { Description = "The job's id" };

    private static Command List()
    {
        var state = new Option<string[]>("--state") { Description = "Only jobs in these states (WAITING, RUNNING, SUCCESS, FAILED, ABORTED)", AllowMultipleArgumentsPerToken = true };
        var method = new Option<string?>("--method") { Description = "Only jobs of this method" };
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first (default 50)", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "List jobs, newest first") { state, method, limit };
        command.SetAction(CommandRunner.WithClient(async (client, parse, cancellationToken) =>
        {
            var filters = new JsonArray();
            if (parse.GetValue(state) is { Length: > 0 } states)
            {
                filters.Add((JsonNode)new JsonArray("state", "in", new JsonArray([.. states.Select(s => JsonValue.Create(s.ToUpperInvariant()))])));
            }

            if (parse.GetValue(method) is { } m)
            {
                filters.Add((JsonNode)new JsonArray("method", "=", m));
            }

            var jobs = await client.CallAsync<JsonElement>("core.get_jobs",
                [filters, new JsonObject { ["order_by"] = new JsonArray("-id"), ["limit"] = parse.GetValue(limit) }],
                cancellationToken);
            if (parse.GetValue(GlobalOptions.Json))
            {
                ResultPrinter.Print(jobs, json: true);
                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Simple)
                .AddColumns("ID", "METHOD", "STATE", "PROGRESS", "STARTED", "FINISHED");
            foreach (var job in jobs.EnumerateArray())
            {
                table.AddRow(Markup.Escape(job.GetProperty("id").GetRawText()), Markup.Escape(Text(job, "method")),
                    Markup.Escape(Text(job, "state")), Markup.Escape(Progress(job)), Date(job, "time_started"),
                    Date(job, "time_finished"));
            }

            Output().Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Show()
    {
        var id = JobId();
        var command = new Command("show", "Show one job") { id };
        command.SetAction(CommandRunner.WithClient(async (client, parse, cancellationToken) =>
        {
            var job = await GetJobAsync(client, parse.GetValue(id), cancellationToken);
            if (parse.GetValue(GlobalOptions.Json))
            {
                ResultPrinter.Print(job, json: true);
                return ExitCodes.Success;
            }

            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            foreach (var field in job.EnumerateObject())
            {
                var value = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString()!
                    : field.Value.ValueKind == JsonValueKind.Object && field.Value.TryGetProperty("$date", out _) ? Date(job, field.Name)
                    : ResultPrinter.ToJson(field.Value);
                grid.AddRow(Markup.Escape(field.Name), Markup.Escape(value));
            }

            Output().Write(grid);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Logs()
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing what the job logs until it ends" };
        var id = JobId();
        var command = new Command("logs", "Print a job's log") { follow, id };
        command.SetAction(CommandRunner.WithClient(async (client, parse, cancellationToken) =>
        {
            var jobId = parse.GetValue(id);
            await new JobLogFollower(client, jobId).RunAsync(parse.GetValue(follow), cancellationToken);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Abort()
    {
        var id = JobId();
        var command = new Command("abort", "Abort a job") { id };
        command.SetAction(CommandRunner.WithClient(async (client, parse, cancellationToken) =>
        {
            await client.CallAsync("core.job_abort", [parse.GetValue(id)], cancellationToken);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Wait()
    {
        var jobPrint = CallCommands.JobPrint();
        var id = JobId();
        var command = new Command("wait", "Wait for a job to end, showing its progress; print its result") { jobPrint, id };
        command.SetAction(CommandRunner.WithClient(async (client, parse, cancellationToken) =>
        {
            var jobId = parse.GetValue(id);
            var result = await ProgressDisplay.RunAsync($"job {jobId}", CallCommands.Mode(parse, jobPrint),
                display => client.WaitJobAsync<JsonElement>(jobId, ProgressAdapters.Job(display), cancellationToken));
            ResultPrinter.Print(result, parse.GetValue(GlobalOptions.Json));
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>One job; a missing one is errno 2 with its id named, not the query's <c>MatchNotFound()</c>.</summary>
    public static async Task<JsonElement> GetJobAsync(JobServerClient client, long id, CancellationToken cancellationToken)
    {
        var jobs = await client.CallAsync<JsonElement>("core.get_jobs",
            [new JsonArray(new JsonArray("id", "=", id))], cancellationToken);
        return jobs.GetArrayLength() == 1
            ? jobs[0]
            : throw new JobServerCallException("core.get_jobs", 2, "ENOENT", $"[ENOENT] Job with id {id} does not exist", null, null);
    }

    public static string Text(JsonElement job, string name) =>
        job.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static string Progress(JsonElement job) =>
        job.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Object
        && p.TryGetProperty("percent", out var percent) && percent.TryGetDouble(out var value)
            ? $"{value:0}% {Text(p, "description")}".Trim()
            : "";

    private static string Date(JsonElement job, string name) =>
        job.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
        && value.TryGetProperty("$date", out var ms) && ms.TryGetInt64(out var epoch)
            ? DateTimeOffset.FromUnixTimeMilliseconds(epoch).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : "";

    /// <summary>Standard output; when it is not a terminal, wide enough that a script's grep sees one row a line.</summary>
    private static IAnsiConsole Output()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 400;
        }

        return console;
    }
}
