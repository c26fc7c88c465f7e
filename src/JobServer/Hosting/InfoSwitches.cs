using JobServer.Configuration;

namespace JobServer.Hosting;

/// <summary>
/// <c>--help</c> (<c>-h</c>) and <c>--version</c>: answered before anything is configured, and the daemon does
/// not start. Recognised wherever they stand and never read as the value of the switch before or after them
/// (ASP.NET's command-line configuration would take <c>--help --port 1</c> as <c>help = --port</c>), so
/// <c>--data-dir X --help</c> and <c>--help --port 1</c> both just print the help. Help wins over version.
/// </summary>
internal static class InfoSwitches
{
    private static readonly string[] HelpSwitches = ["--help", "-h", "-?"];
    private const string VersionSwitch = "--version";

    /// <summary>Prints what was asked and returns the exit code (0); null when neither switch is there.</summary>
    public static int? TryAnswer(string[] args, TextWriter output)
    {
        if (args.Any(arg => HelpSwitches.Contains(arg, StringComparer.Ordinal)))
        {
            WriteHelp(output);
            return 0;
        }

        if (args.Contains(VersionSwitch, StringComparer.Ordinal))
        {
            output.WriteLine($"JobServer {DaemonVersion.Current}");
            return 0;
        }

        return null;
    }

    private static void WriteHelp(TextWriter output)
    {
        output.WriteLine($"""
            JobServer {DaemonVersion.Current}: a job server speaking middlewared's WebSocket API.

            Usage:
              JobServer [switches] [--Section:Key=value ...]   start the daemon
              JobServer {PasswordResetCommand.Verb} <username> [--data-dir DIR] [--password-stdin]
                                                             set a password while no daemon runs, and exit

            Switches:
              --urls URL[;URL]     where to listen (default {JobServerHost.DefaultUrl})
              --data-dir DIR       the data directory: database, job logs, spool, plugins (default ./data)
              --plugin-dir DIR     an extra folder of plugin assemblies
              --help, -h           print this help and exit
              --version            print the version and exit

            Environment:
              JOBSERVER_ROOT_PASSWORD   root's password when the database is created (else one is generated)
              JobServer__Jobs__MaxRunning=4 and the like: any setting below, ':' written '__'

            Endpoints: /websocket (DDP), /api/current (JSON-RPC), /_upload, /_download/<id>,
              /healthz, /readyz, /metrics. Docs: docs/config.md, docs/operations.md.

            Settings (appsettings.json, environment, or --Key=value), with their defaults:
            """);
        foreach (var line in SettingsListing.Lines())
        {
            output.WriteLine($"  {line}");
        }
    }
}
