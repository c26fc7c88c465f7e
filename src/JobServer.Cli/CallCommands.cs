using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Client;

namespace JobServer.Cli;

/// <summary>midclt's own verbs: <c>call</c>, <c>ping</c>, <c>subscribe</c>.</summary>
internal static class CallCommands
{
    public static Option<bool> JobFlag() => new("--job", "-j") { Description = "The method starts a job: wait for it, show its progress, print its result" };

    public static Option<string?> JobPrint() => new Option<string?>("--job-print", "-jp")
    {
        Description = "How to show the job's progress: progressbar (default on a terminal) or description (plain lines)",
    }.AcceptOnlyFromAmong("progressbar", "description");

    public static ProgressMode Mode(ParseResult parse, Option<string?> jobPrint) => parse.GetValue(jobPrint) switch
    {
        "progressbar" => ProgressMode.ProgressBar,
        "description" => ProgressMode.Description,
        _ => ProgressDisplay.DefaultMode(parse.GetValue(GlobalOptions.Json)),
    };

    public static Command Call()
    {
        var job = JobFlag();
        var jobPrint = JobPrint();
        var method = new Argument<string>("METHOD") { Description = "The method, such as core.ping or user.query" };
        var args = new Argument<string[]>("ARG")
        {
            Description = "Its arguments: each is JSON when it parses, a string otherwise; - reads one JSON value from stdin",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("call", "Call a method and print its result") { job, jobPrint, method, args };
        command.SetAction(CommandRunner.WithClient(async (client, parse, cancellationToken) =>
        {
            var name = parse.GetRequiredValue(method);
            var arguments = CallArguments.Parse(parse.GetValue(args) ?? []);
            var json = parse.GetValue(GlobalOptions.Json);
            // -jp alone means -j too: it only has a meaning for a job.
            if (!parse.GetValue(job) && parse.GetValue(jobPrint) is null)
            {
                ResultPrinter.Print(await client.CallAsync<JsonElement>(name, arguments, cancellationToken), json);
                return ExitCodes.Success;
            }

            var result = await ProgressDisplay.RunAsync(name, Mode(parse, jobPrint), display =>
                client.CallJobAsync<JsonElement>(name, arguments, ProgressAdapters.Job(display), cancellationToken));
            ResultPrinter.Print(result, json);
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Ping()
    {
        var command = new Command("ping", "Check that the daemon answers (core.ping); prints pong");
        command.SetAction(CommandRunner.WithClient(async (client, _, cancellationToken) =>
        {
            Console.Out.WriteLine(await client.CallAsync<string>("core.ping", null, cancellationToken));
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Subscribe()
    {
        var count = new Option<int>("-n") { Description = "Stop after this many events (default: until interrupted)" };
        var name = new Argument<string>("EVENT") { Description = "A collection (see core.get_events) or *" };
        var command = new Command("subscribe", "Print a collection's events, one JSON object a line") { count, name };
        command.SetAction(CommandRunner.WithClient(async (client, parse, cancellationToken) =>
        {
            var limit = parse.GetValue(count);
            await using var subscription = await client.SubscribeAsync(parse.GetRequiredValue(name), cancellationToken);
            var seen = 0;
            await foreach (var e in subscription.WithCancellation(cancellationToken))
            {
                Console.Out.WriteLine(EventLine(e));
                Console.Out.Flush();
                if (limit > 0 && ++seen >= limit)
                {
                    break;
                }
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static string EventLine(CollectionEvent e)
    {
        var line = new JsonObject
        {
            ["msg"] = e.Kind,
            ["collection"] = e.Collection,
            ["id"] = JsonNode.Parse(e.Id.GetRawText()),
        };
        if (e.Fields is { } fields)
        {
            line["fields"] = JsonNode.Parse(fields.GetRawText());
        }

        return line.ToJsonString(ResultPrinter.NodeOptions);
    }
}
