using System.CommandLine;
using System.Text.Json;

namespace JobServer.Cli;

/// <summary><c>jobctl upload</c> and <c>jobctl download</c>: a file into or out of a job, streamed.</summary>
internal static class TransferCommands
{
    public static Command Upload()
    {
        var method = new Argument<string>("METHOD") { Description = "A job method with an input pipe" };
        var args = new Argument<string>("ARGS") { Description = "Its arguments as one JSON list, such as []" };
        var file = new Argument<string>("FILE") { Description = "The file to send; - for standard input" };
        var command = new Command("upload", "Stream a file into a job (POST /_upload); print the job's result") { method, args, file };
        command.SetAction(CommandRunner.WithClient(async (client, parse, cancellationToken) =>
        {
            var name = parse.GetRequiredValue(method);
            var arguments = CallArguments.ParseList(parse.GetRequiredValue(args));
            var path = parse.GetRequiredValue(file);
            await using var source = path == "-" ? Console.OpenStandardInput() : OpenRead(path);
            var result = await ProgressDisplay.RunAsync(path == "-" ? name : Path.GetFileName(path), ProgressDisplay.DefaultMode(parse.GetValue(GlobalOptions.Json)),
                display => client.UploadAsync<JsonElement>(name, arguments, source, ProgressAdapters.Transfer(display),
                    cancellationToken));
            ResultPrinter.Print(result, parse.GetValue(GlobalOptions.Json));
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Download()
    {
        var method = new Argument<string>("METHOD") { Description = "A job method with an output pipe" };
        var args = new Argument<string>("ARGS") { Description = "Its arguments as one JSON list, such as []" };
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file (default: standard output)" };
        var command = new Command("download", "Stream what a job writes (core.download) to a file or standard output") { method, args, output };
        command.SetAction(CommandRunner.WithClient(async (client, parse, cancellationToken) =>
        {
            var name = parse.GetRequiredValue(method);
            var arguments = CallArguments.ParseList(parse.GetRequiredValue(args));
            var path = parse.GetValue(output);
            await using var destination = path is null ? Console.OpenStandardOutput() : File.Create(path);
            var bytes = await ProgressDisplay.RunAsync(path is null ? name : Path.GetFileName(path), ProgressDisplay.DefaultMode(parse.GetValue(GlobalOptions.Json)),
                display => client.DownloadAsync(name, arguments, destination, ProgressAdapters.Transfer(display),
                    path is null ? "download" : Path.GetFileName(path), cancellationToken));
            if (path is not null && !parse.GetValue(GlobalOptions.Json))
            {
                Console.Error.WriteLine($"{ProgressAdapters.Size(bytes)} written to {path}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 128 * 1024, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new UsageException($"{path}: {e.Message}");
        }
    }
}
