using System.CommandLine;
using JobServer.Client;

namespace JobServer.Cli;

/// <summary>
/// Runs a subcommand with a connected client and turns every outcome into one of the four exit codes, with a
/// one-line reason on standard error (as JSON with <c>--json</c>).
/// </summary>
internal static class CommandRunner
{
    public static Func<ParseResult, CancellationToken, Task<int>> WithClient(
        Func<JobServerClient, ParseResult, CancellationToken, Task<int>> body) =>
        Run(async (parse, cancellationToken) =>
        {
            var options = ConnectionSettings.Resolve(parse);
            await using var client = await JobServerClient.ConnectAsync(options, cancellationToken);
            return await body(client, parse, cancellationToken);
        });

    /// <summary>The same outcomes for a command that makes its own connections (<c>jobctl agent</c>).</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Run(
        Func<ParseResult, CancellationToken, Task<int>> body) =>
        async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(GlobalOptions.Json);
            try
            {
                return await body(parse, cancellationToken);
            }
            catch (UsageException e)
            {
                return Fail(ExitCodes.Usage, e.Message);
            }
            catch (JobServerConnectionException e)
            {
                return Fail(ExitCodes.CannotConnect, e.Message);
            }
            catch (JobServerCallException e)
            {
                return json ? FailJson(e) : Fail(ExitCodes.CallFailed, Describe(e));
            }
            catch (TimeoutException e)
            {
                return Fail(ExitCodes.CallFailed, e.Message);
            }
            catch (IOException e)
            {
                return Fail(ExitCodes.CallFailed, e.Message);
            }
        };

    private static string Describe(JobServerCallException e)
    {
        var what = e is JobServerJobException job ? $"job {job.JobId} {(job.Aborted ? "aborted" : "failed")}: " : "";
        // A validation error's reason already has one line per problem.
        return what + e.Reason;
    }

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"jobctl: {message}");
        return code;
    }

    private static int FailJson(JobServerCallException e)
    {
        var error = new System.Text.Json.Nodes.JsonObject
        {
            ["error"] = e.Errno,
            ["errname"] = e.ErrName,
            ["type"] = e.ErrorType,
            ["reason"] = e.Reason,
            ["extra"] = e.Extra is { } extra ? System.Text.Json.Nodes.JsonNode.Parse(extra.GetRawText()) : null,
            ["job_id"] = (e as JobServerJobException)?.JobId,
        };
        Console.Error.WriteLine(error.ToJsonString(ResultPrinter.NodeOptions));
        return ExitCodes.CallFailed;
    }
}
