using System.CommandLine;

namespace JobServer.Cli;

/// <summary>midclt's connection options, accepted before or after the subcommand.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Url = new("--url", "-u")
    {
        Description = "The daemon: http://HOST:PORT, ws://HOST:PORT[/websocket|/api/current] or ws+unix:///PATH " +
                      "(default: $JOBSERVER_URL, the config file's url, else the daemon's Unix socket)",
        Recursive = true,
    };

    public static readonly Option<string?> Username = new("--username", "-U")
    {
        Description = "Sign in as this user (the password from -P, --password-stdin or a prompt)",
        Recursive = true,
    };

    public static readonly Option<string?> Password = new("--password", "-P")
    {
        Description = "The password (visible to other users in the process list: prefer the prompt or --password-stdin)",
        Recursive = true,
    };

    public static readonly Option<bool> PasswordStdin = new("--password-stdin")
    {
        Description = "Read the password from the first line of standard input",
        Recursive = true,
    };

    public static readonly Option<string?> ApiKey = new("--api-key", "-K")
    {
        Description = "An API key, or a file holding one (default: $JOBSERVER_API_KEY or the config file's api_key)",
        Recursive = true,
    };

    public static readonly Option<double> Timeout = new("--timeout", "-t")
    {
        Description = "Seconds a call may wait for its answer (default 60; waiting for a job is not bounded by it)",
        DefaultValueFactory = _ => 60,
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print results as JSON (for scripts), not as text or tables",
        Recursive = true,
    };

    public static IEnumerable<Option> All => [Url, Username, Password, PasswordStdin, ApiKey, Timeout, Json];
}
