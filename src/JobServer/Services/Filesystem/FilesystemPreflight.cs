using JobServer.Sdk.Errors;

namespace JobServer.Services.Filesystem;

/// <summary>
/// What the filesystem jobs check before they touch anything: paths inside the roots, a source that exists and is
/// a file, a destination that is not a directory and whose directory exists. The same checks run twice: when the
/// call arrives (their validators, so a call bound to fail creates no job) and when the job starts (the files may
/// have changed while it waited).
/// </summary>
internal sealed class FilesystemPreflight(FilesystemRoots roots)
{
    public const string CopySource = "filesystem_copy.src";
    public const string CopyDestination = "filesystem_copy.dst";
    public const string PutPath = "filesystem_put.path";
    public const string GetPath = "filesystem_get.path";

    public (GuardedPath Source, GuardedPath Destination, FileEntry Entry) Copy(string src, string dst, bool overwrite)
    {
        var source = roots.Resolve(src, CopySource);
        var destination = roots.Resolve(dst, CopyDestination);
        var entry = FileEntryReader.TryRead(source.Real, source.Real) ?? throw FilesystemService.NotFound(CopySource, src);
        if (!UnixMode.IsRegular(entry.Mode) && !UnixMode.IsFifo(entry.Mode))
        {
            throw FilesystemService.NotARegularFile(CopySource, src, entry);
        }

        if (source.Real == destination.Real)
        {
            throw new ValidationException(CopyDestination, $"{dst} is the source itself", Errno.EINVAL);
        }

        if (FileEntryReader.TryRead(destination.Real, null) is { } existing)
        {
            if (existing.Type == FileType.Directory)
            {
                throw new ValidationException(CopyDestination, $"{dst} is a directory", Errno.EISDIR);
            }

            if (!overwrite)
            {
                throw new ValidationException(CopyDestination, $"{dst} already exists", Errno.EEXIST);
            }
        }

        FilesystemService.RequireParent(destination, CopyDestination);
        return (source, destination, entry);
    }

    public (GuardedPath Target, FileEntry? Existing, UnixFileMode? Mode) Put(string path, PutOptions put)
    {
        var mode = OctalMode.Parse(put.Mode, "filesystem_put.options.mode");
        var target = roots.Resolve(path, PutPath);
        var existing = FileEntryReader.TryRead(target.Real, target.Real);
        if (existing is not null && !UnixMode.IsRegular(existing.Mode))
        {
            throw FilesystemService.NotARegularFile(PutPath, path, existing);
        }

        FilesystemService.RequireParent(target, PutPath);
        return (target, existing, mode);
    }

    public GuardedPath Get(string path)
    {
        var source = roots.Resolve(path, GetPath);
        var entry = FileEntryReader.TryRead(source.Real, source.Real) ?? throw FilesystemService.NotFound(GetPath, path);
        if (!UnixMode.IsRegular(entry.Mode))
        {
            throw FilesystemService.NotARegularFile(GetPath, path, entry);
        }

        return source;
    }
}
