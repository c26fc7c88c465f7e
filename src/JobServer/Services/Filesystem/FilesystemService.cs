using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Sdk.Query;

namespace JobServer.Services.Filesystem;

/// <summary>
/// <c>filesystem.*</c>: stat, list, create directories, download, upload and copy files, all confined to
/// <c>JobServer:Filesystem:Roots</c> (see <see cref="FilesystemRoots"/>). I/O is streamed with one bounded buffer.
/// </summary>
[Namespace("filesystem")]
internal sealed partial class FilesystemService(FilesystemRoots roots, ILogger<FilesystemService> logger) : Service
{
    /// <summary>Permission bits a copy or replacement keeps (not setuid/setgid/sticky, as <c>cp</c> without -p).</summary>
    private const int PermissionBits = 0x1FF;

    private readonly FilesystemPreflight _preflight = new(roots);

    [Roles(Role.ReadonlyAdmin)]
    [Description("The entry at path (a link is reported as itself): type, size, mode, owner, times, realpath.")]
    public FileEntry Stat(string path)
    {
        const string attribute = "filesystem_stat.path";
        var target = roots.Resolve(path, attribute);
        return FileEntryReader.TryRead(target.Entry, target.Real) ?? throw NotFound(attribute, path);
    }

    [Roles(Role.ReadonlyAdmin)]
    [Description("The entries of a directory as stat reports them, with query filters and options.")]
    public JsonNode? Listdir(string path, JsonArray? filters = null, QueryOptions? options = null)
    {
        const string attribute = "filesystem_listdir.path";
        var directory = roots.Resolve(path, attribute);
        if (!Directory.Exists(directory.Real))
        {
            throw Path.Exists(directory.Real)
                ? new ValidationException(attribute, $"{path} is not a directory", Errno.ENOTDIR)
                : NotFound(attribute, path);
        }

        string[] names;
        try
        {
            names = Directory.GetFileSystemEntries(directory.Real).Select(Path.GetFileName).OfType<string>().ToArray();
        }
        catch (Exception e) when (IoErrors.IsIo(e))
        {
            throw IoErrors.ToCallError(e, path);
        }

        // Natural order is by name, so paging without order_by is stable between calls.
        Array.Sort(names, StringComparer.Ordinal);
        return QueryEngine.Apply(Rows(directory.Real, names), filters, options);
    }

    [Description("Creates a directory (options: mode as an octal string, parents) and returns its stat.")]
    public FileEntry Mkdir(string path, MkdirOptions? options = null)
    {
        const string attribute = "filesystem_mkdir.path";
        var mkdir = options ?? new MkdirOptions();
        var mode = OctalMode.Parse(mkdir.Mode, "filesystem_mkdir.options.mode");
        var target = roots.Resolve(path, attribute);
        if (FileEntryReader.TryRead(target.Entry, null) is not null)
        {
            throw new ValidationException(attribute, $"{path} already exists", Errno.EEXIST);
        }

        RequireParent(target, attribute, mustExist: !mkdir.Parents);
        try
        {
            Directory.CreateDirectory(target.Real);
            if (mode is { } permissions && !OperatingSystem.IsWindows())
            {
                // Set afterwards, exactly: the creation mode would be narrowed by the daemon's umask.
                File.SetUnixFileMode(target.Real, permissions);
            }
        }
        catch (Exception e) when (IoErrors.IsIo(e))
        {
            throw IoErrors.ToCallError(e, path);
        }

        LogCreatedDirectory(logger, target.Real);
        return FileEntryReader.TryRead(target.Real, target.Real) ?? throw NotFound(attribute, path);
    }

    private IEnumerable<JsonObject> Rows(string directory, string[] names)
    {
        foreach (var name in names)
        {
            var entryPath = Path.Join(directory, name);
            var entry = FileEntryReader.TryRead(entryPath, entryPath);
            if (entry is null)
            {
                continue; // Removed since the directory was read.
            }

            if (entry.Type == FileType.Symlink)
            {
                // A link's destination is shown only when it is inside the roots; elsewhere it is none of our business.
                entry = entry with
                {
                    Realpath = RealPath.TryResolve(entryPath, followFinal: true, out var real) && roots.Contains(real)
                        ? real
                        : null,
                };
            }

            yield return JsonSerializer.SerializeToNode(entry, WireJson.Options)!.AsObject();
        }
    }

    /// <summary>The target's directory must exist (ENOENT) and be a directory (ENOTDIR).</summary>
    internal static void RequireParent(GuardedPath target, string attribute, bool mustExist = true)
    {
        var parent = Path.GetDirectoryName(target.Real) ?? "/";
        if (Directory.Exists(parent) || (!mustExist && !Path.Exists(parent)))
        {
            return;
        }

        throw Path.Exists(parent)
            ? new ValidationException(attribute, $"{parent} is not a directory", Errno.ENOTDIR)
            : new ValidationException(attribute, $"{parent} does not exist", Errno.ENOENT);
    }

    internal static ValidationException NotFound(string attribute, string path) =>
        new(attribute, $"{path} does not exist", Errno.ENOENT);

    private static FileStream OpenRead(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        Share = FileShare.ReadWrite,
        BufferSize = 0, // StreamPump reads whole buffers.
        Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
    });

    [LoggerMessage(Level = LogLevel.Information, Message = "Created directory {Path}")]
    private static partial void LogCreatedDirectory(ILogger logger, string path);
}
