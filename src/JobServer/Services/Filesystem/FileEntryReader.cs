namespace JobServer.Services.Filesystem;

/// <summary>Builds a <see cref="FileEntry"/> from <c>lstat</c> (statx on Linux, .NET's own view elsewhere).</summary>
internal static class FileEntryReader
{
    /// <summary>The entry at <paramref name="entryPath"/> (not following a final link); null when it does not exist.</summary>
    public static FileEntry? TryRead(string entryPath, string? realpath)
    {
        var name = entryPath == "/" ? "/" : Path.GetFileName(entryPath);
        if (LinuxStatx.TryLstat(entryPath) is { } stat)
        {
            return new FileEntry(name, entryPath, realpath, UnixMode.TypeOf(stat.Mode), stat.Size, stat.Mode,
                stat.Uid, stat.Gid, stat.Atime, stat.Mtime, stat.Ctime);
        }

        return TryReadPortable(entryPath, name, realpath);
    }

    private static FileEntry? TryReadPortable(string entryPath, string name, string? realpath)
    {
        FileSystemInfo info = Directory.Exists(entryPath) ? new DirectoryInfo(entryPath) : new FileInfo(entryPath);
        if (!info.Exists && info.LinkTarget is null)
        {
            return null;
        }

        var (type, typeBits) = info.LinkTarget is not null ? (FileType.Symlink, UnixMode.Symlink)
            : info is DirectoryInfo ? (FileType.Directory, UnixMode.Directory)
            : (FileType.File, UnixMode.Regular);
        var size = info is FileInfo file && type == FileType.File ? file.Length : 0;
        var permissions = OperatingSystem.IsWindows() ? 0 : (int)info.UnixFileMode;
        return new FileEntry(name, entryPath, realpath, type, size, typeBits | permissions, null, null,
            info.LastAccessTimeUtc, info.LastWriteTimeUtc, info.LastWriteTimeUtc);
    }
}
