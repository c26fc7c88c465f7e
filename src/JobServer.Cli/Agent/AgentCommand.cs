using System.CommandLine;

namespace JobServer.Cli.Agent;

/// <summary>
/// <c>jobctl agent --url ws://SERVER:PORT --api-key KEY --destination ID --forward http://127.0.0.1:PORT
/// [--state-dir DIR]</c>: runs on a device and performs the batch tasks the daemon sends for its destination
/// against the device's local API (issue 16). The key must hold only BATCH_AGENT.
/// </summary>
internal static class AgentCommand
{
    public static Command Agent()
    {
        var destination = new Option<string>("--destination")
        {
            Description = "The destination id this device answers for (as in the batch's __destination)",
            Required = true,
        };
        var forward = new Option<string>("--forward")
        {
            Description = "The device's local API (http://127.0.0.1:PORT); each task's resource is a path under it",
            Required = true,
        };
        var stateDir = new Option<string?>("--state-dir")
        {
            Description = "Where the agent remembers the tasks it performed (default: ~/.local/state/jobctl)",
        };
        var requestTimeout = new Option<double>("--request-timeout")
        {
            Description = "Seconds one request to the device may take (default 60; then the task answers 504)",
            DefaultValueFactory = _ => 60,
        };
        var command = new Command("agent", "Run as a device agent: perform the batch tasks sent to --destination")
        {
            destination, forward, stateDir, requestTimeout,
        };
        command.SetAction(CommandRunner.Run(async (parse, cancellationToken) =>
        {
            var settings = new AgentSettings(parse.GetValue(destination)!, ForwardUrl(parse.GetValue(forward)!),
                parse.GetValue(stateDir) ?? DefaultStateDirectory(), Seconds(parse.GetValue(requestTimeout)));
            var connection = ConnectionSettings.Resolve(parse);
            using var device = new AgentDevice(settings.Forward, settings.RequestTimeout);
            var runner = new AgentRunner(connection, settings, AgentMemory.Open(settings.StateDirectory, settings.Destination), device);
            try
            {
                await runner.RunAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped (SIGTERM, Ctrl+C): a task in flight is offered again at the next start.
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Uri ForwardUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new UsageException($"--forward {text}: not an http:// or https:// URL");

    private static TimeSpan Seconds(double seconds) => seconds > 0
        ? TimeSpan.FromSeconds(seconds)
        : throw new UsageException("--request-timeout: must be a positive number of seconds");

    private static string DefaultStateDirectory() =>
        Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } state
            ? Path.Combine(state, "jobctl")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state", "jobctl");
}
