namespace JobServer.Services.Filesystem;

/// <summary>
/// <c>realpath(3)</c> over the live filesystem, tolerant of a tail that does not exist yet (a file about to be
/// created): symbolic links are resolved one component at a time and <c>..</c> is applied to the directory reached
/// so far, as the kernel does. A purely lexical normalisation (<see cref="Path.GetFullPath(string)"/>) would be
/// wrong: <c>root/link/..</c> is the parent of the link's <em>target</em>, which may lie outside the root.
/// </summary>
internal static class RealPath
{
    /// <summary>Linux's limit on links followed while resolving one path (<c>MAXSYMLINKS</c>, ELOOP beyond).</summary>
    public const int MaxLinks = 40;

    /// <summary>Resolves an absolute path.</summary>
    /// <param name="path">An absolute path.</param>
    /// <param name="followFinal">Whether a symbolic link in the last component is followed too (stat) or kept as
    /// the entry itself (lstat).</param>
    /// <param name="resolved">The resolved path: absolute, no <c>.</c>, <c>..</c>, empty components or trailing
    /// separator; components from the first missing one on are appended as written.</param>
    /// <returns>False when more than <see cref="MaxLinks"/> links had to be followed (a loop).</returns>
    public static bool TryResolve(string path, bool followFinal, out string resolved)
    {
        var pending = new Stack<string>();
        PushComponents(pending, path);
        var current = new List<string>();
        var missing = false;
        var links = 0;
        resolved = "/";
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (name is "" or ".")
            {
                continue;
            }

            if (name == "..")
            {
                if (current.Count > 0)
                {
                    current.RemoveAt(current.Count - 1);
                }

                continue;
            }

            current.Add(name);
            if (missing || (!followFinal && IsLast(pending)))
            {
                continue;
            }

            var full = Join(current);
            var target = LinkTargetOf(full);
            if (target is null)
            {
                // Nothing below a missing component can be a link: the rest is lexical.
                missing = !Path.Exists(full);
                continue;
            }

            if (++links > MaxLinks)
            {
                return false;
            }

            current.RemoveAt(current.Count - 1);
            if (target.StartsWith('/'))
            {
                current.Clear();
            }

            PushComponents(pending, target);
        }

        resolved = Join(current);
        return true;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="root"/> or below it (both resolved).</summary>
    public static bool IsWithin(string path, string root) =>
        root == "/" || path == root ||
        (path.StartsWith(root, StringComparison.Ordinal) && path.Length > root.Length && path[root.Length] == '/');

    private static string? LinkTargetOf(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A component that is not a directory, or one we may not search: treat it as missing, so the
            // operation itself reports the precise error.
            return null;
        }
    }

    private static bool IsLast(Stack<string> pending)
    {
        foreach (var name in pending)
        {
            if (name is not ("" or "."))
            {
                return false;
            }
        }

        return true;
    }

    private static void PushComponents(Stack<string> pending, string path)
    {
        var parts = path.Split('/');
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }

    private static string Join(List<string> components) => "/" + string.Join('/', components);
}
