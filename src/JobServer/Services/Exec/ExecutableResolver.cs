namespace JobServer.Services.Exec;

/// <summary>Resolves a command to an absolute path and checks it against the allow-list.</summary>
internal static class ExecutableResolver
{
    public static string? Resolve(string command)
    {
        if (command.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(command) ? Path.GetFullPath(command) : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The command's absolute path when the allow-list names it (by path or by name on PATH).</summary>
    public static string? ResolveAllowed(string command, IEnumerable<string> allowed)
    {
        var resolved = Resolve(command);
        if (resolved is null)
        {
            return null;
        }

        return allowed.Select(Resolve).Any(a => a is not null && string.Equals(a, resolved, StringComparison.Ordinal))
            ? resolved
            : null;
    }
}
