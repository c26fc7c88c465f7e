using JobServer.Sdk.Errors;
using Microsoft.Extensions.Options;

namespace JobServer.Services.Filesystem;

/// <summary>
/// The path guard of the <c>filesystem</c> service: a path argument must be absolute and, with every symbolic link
/// and <c>..</c> resolved, lie inside one of <c>JobServer:Filesystem:Roots</c>. Refusals are validation errors on
/// the argument (<c>filesystem_copy.dst</c>), so clients see which argument was wrong.
/// </summary>
/// <remarks>
/// The check resolves the path on every call (roots included, so a root may itself be a symbolic link or be
/// mounted after start) and the operation then uses the resolved path. It protects against callers of the API,
/// not against a local user who can swap directories for links between the check and the use.
/// </remarks>
internal sealed class FilesystemRoots(IOptions<FilesystemOptions> options)
{
    public const string NotConfigured = "No filesystem roots are configured (JobServer:Filesystem:Roots)";

    /// <summary>Checks a path argument.</summary>
    /// <param name="path">The argument.</param>
    /// <param name="attribute">Its validation name, such as <c>filesystem_stat.path</c>.</param>
    /// <exception cref="ValidationException">EACCES: no roots, or outside them; EINVAL: not absolute, a loop.</exception>
    public GuardedPath Resolve(string? path, string attribute)
    {
        var roots = RealRoots(attribute);
        if (string.IsNullOrEmpty(path) || !path.StartsWith('/') || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ValidationException(attribute, "Path must be absolute", Errno.EINVAL);
        }

        if (!RealPath.TryResolve(path, followFinal: true, out var real) ||
            !RealPath.TryResolve(path, followFinal: false, out var entry))
        {
            throw new ValidationException(attribute, $"{path}: too many levels of symbolic links", Errno.EINVAL);
        }

        // Both must be inside: the entry (a link outside pointing in is still a path outside) and what it reaches.
        if (!IsInside(real, roots) || !IsInside(entry, roots))
        {
            throw new ValidationException(attribute, $"{path} is outside the configured filesystem roots",
                Errno.EACCES);
        }

        return new GuardedPath(path, entry, real);
    }

    /// <summary>Whether an already resolved path lies inside a root (listings use it for their entries' links).</summary>
    public bool Contains(string resolvedPath) => IsInside(resolvedPath, RealRoots(null));

    private List<string> RealRoots(string? attribute)
    {
        var configured = options.Value.Roots;
        if (configured.Count == 0)
        {
            throw new ValidationException(attribute, NotConfigured, Errno.EACCES);
        }

        var roots = new List<string>(configured.Count);
        foreach (var root in configured)
        {
            if (RealPath.TryResolve(root, followFinal: true, out var real))
            {
                roots.Add(real);
            }
        }

        return roots;
    }

    private static bool IsInside(string path, List<string> roots) => roots.Exists(root => RealPath.IsWithin(path, root));
}
