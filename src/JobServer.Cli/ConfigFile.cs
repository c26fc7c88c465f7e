using System.Text.Json;

namespace JobServer.Cli;

/// <summary>
/// <c>~/.config/jobctl/config.json</c> (or under <c>$XDG_CONFIG_HOME</c>): <c>{"url", "api_key", "username",
/// "password"}</c>, every field optional. Refused, like ssh refuses a key, when group or others may read or write
/// it: it holds a secret.
/// </summary>
internal sealed record ConfigFile(string? Url, string? ApiKey, string? Username, string? Password)
{
    public static string DefaultPath
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return Path.Combine(root, "jobctl", "config.json");
        }
    }

    public static ConfigFile? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        PrivateFile.Check(path);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            return new ConfigFile(Text(root, "url"), Text(root, "api_key"), Text(root, "username"), Text(root, "password"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new UsageException($"{path}: not a JSON object with url, api_key, username, password ({e.Message})");
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
