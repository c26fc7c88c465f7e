using System.CommandLine;
using JobServer.Client;

namespace JobServer.Cli;

/// <summary>
/// Where jobctl connects and how it signs in, first found wins: the flags, the environment
/// (<c>JOBSERVER_URL</c>, <c>JOBSERVER_API_KEY</c>), the config file, and last the daemon's Unix socket
/// (<c>$JobServer__UnixSocket</c>, else <c>$JobServer__DataDir/jobserver.sock</c>, else <c>./data/jobserver.sock</c>:
/// the same settings the daemon reads) with no credentials, where the daemon signs its own user in as root.
/// </summary>
internal static class ConnectionSettings
{
    public static JobServerClientOptions Resolve(ParseResult parse)
    {
        var config = ConfigFile.Load(ConfigFile.DefaultPath);
        var url = parse.GetValue(GlobalOptions.Url) ?? Env("JOBSERVER_URL") ?? config?.Url ?? DefaultSocketUrl();
        var timeout = parse.GetValue(GlobalOptions.Timeout);
        if (timeout <= 0)
        {
            throw new UsageException("-t: the timeout must be a positive number of seconds");
        }

        return new JobServerClientOptions
        {
            Url = ParseUrl(url),
            Credentials = Credentials(parse, config),
            CallTimeout = TimeSpan.FromSeconds(timeout),
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(timeout, 10)),
            // A command line reports a lost connection at once; a long-lived program wants the reconnect.
            AutoReconnect = false,
        };
    }

    public static string DefaultSocketUrl()
    {
        var socket = Env("JobServer__UnixSocket")
                     ?? Path.Combine(Env("JobServer__DataDir") ?? "data", "jobserver.sock");
        return $"{JobServerClientOptions.UnixSocketScheme}://{Path.GetFullPath(socket)}";
    }

    private static Uri ParseUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed)
            ? parsed
            : throw new UsageException($"-u {url}: not a URL (http://HOST:PORT, ws://HOST:PORT or ws+unix:///PATH)");

    private static JobServerCredentials Credentials(ParseResult parse, ConfigFile? config)
    {
        if (parse.GetValue(GlobalOptions.ApiKey) is { } key)
        {
            return JobServerCredentials.ApiKey(File.Exists(key) ? PrivateFile.ReadFirstLine(key) : key);
        }

        if (parse.GetValue(GlobalOptions.Username) is { } username)
        {
            var password = parse.GetValue(GlobalOptions.Password)
                           ?? (parse.GetValue(GlobalOptions.PasswordStdin) ? PasswordReader.FromStdin() : null)
                           ?? (config?.Username == username ? config.Password : null)
                           ?? PasswordReader.Prompt(username);
            return JobServerCredentials.Password(username, password);
        }

        if (Env("JOBSERVER_API_KEY") is { } envKey)
        {
            return JobServerCredentials.ApiKey(envKey);
        }

        if (config?.ApiKey is { } configKey)
        {
            return JobServerCredentials.ApiKey(configKey);
        }

        return config is { Username: { } user, Password: { } secret }
            ? JobServerCredentials.Password(user, secret)
            : JobServerCredentials.None;
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
