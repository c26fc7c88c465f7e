using System.CommandLine;
using JobServer.Cli;
using JobServer.Cli.Agent;

// jobctl: midclt's shape (`jobctl [-u URL] [-U USER] [-P PASSWORD] [-K KEY] [-t SECONDS] call [-j] METHOD ARG…`)
// plus jobs, uploads and downloads, and `jobctl agent` (issue 16: a device agent for batch jobs).
var root = new RootCommand("jobctl: call JobServer (or middlewared) methods, follow jobs, move files")
{
    CallCommands.Call(),
    CallCommands.Ping(),
    CallCommands.Subscribe(),
    JobsCommands.Jobs(),
    TransferCommands.Upload(),
    TransferCommands.Download(),
    AgentCommand.Agent(),
};
foreach (var option in GlobalOptions.All)
{
    root.Options.Add(option);
}

// No bundling: midclt's -jp is one option, not -j -p. No @response files: an argument may begin with @.
var parse = root.Parse(args, new ParserConfiguration { EnablePosixBundling = false, ResponseFileTokenReplacer = null });
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"jobctl: {error.Message}");
    }

    Console.Error.WriteLine("Try 'jobctl --help'.");
    return ExitCodes.Usage;
}

return await parse.InvokeAsync();
