namespace JobServer.Hosting;

/// <summary>
/// Prepares the data directory before anything else may touch it: private file modes for the process
/// (<see cref="PrivateFileModes"/>), the folder created 0700 (or narrowed to 0700 when it exists), and its
/// exclusive lock (<see cref="DataDirectoryLock"/>).
/// </summary>
internal static partial class DataDirectory
{
    /// <summary>Creates and locks the folder; throws <see cref="DataDirectoryInUseException"/> when another holds it.</summary>
    public static DataDirectoryLock Open(string path)
    {
        PrivateFileModes.Apply();
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, PrivateFileModes.Folder);
        }

        return DataDirectoryLock.Acquire(path);
    }

    /// <summary>
    /// Narrows what an older version (or an operator) left readable: the folder to 0700, the files directly in it
    /// (the database, its WAL and shared memory) and the folders in it lose every permission of group and others. What lies deeper is out of
    /// reach once the folder is 0700. Best effort: an entry the daemon does not own is logged and left.
    /// </summary>
    public static void Tighten(string path, ILogger logger)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Narrow(new DirectoryInfo(path), logger);
        foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is null)
            {
                Narrow(entry, logger);
            }
        }
    }

    /// <summary>Takes every permission from group and others; the owner's stay as they are.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Narrow(FileSystemInfo entry, ILogger logger)
    {
        const UnixFileMode groupOrOthers = (UnixFileMode)0b000_111_111;
        if ((entry.UnixFileMode & groupOrOthers) == 0)
        {
            return;
        }

        try
        {
            entry.UnixFileMode &= ~groupOrOthers;
            LogNarrowed(logger, entry.FullName, Convert.ToString((int)entry.UnixFileMode, 8));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCannotNarrow(logger, entry.FullName, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Narrowed the permissions of {Path} to {Mode}")]
    private static partial void LogNarrowed(ILogger logger, string path, string mode);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not narrow the permissions of {Path} (readable by others): {Reason}")]
    private static partial void LogCannotNarrow(ILogger logger, string path, string reason);
}
