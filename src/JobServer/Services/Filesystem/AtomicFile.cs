namespace JobServer.Services.Filesystem;

/// <summary>
/// A new version of a file written beside it under a hidden temporary name and renamed over it only when complete,
/// so readers see the old file or the whole new one, never a half-written one. Disposing without
/// <see cref="CommitAsync"/> (a failure, an abort) deletes the temporary file.
/// </summary>
internal sealed class AtomicFile : IAsyncDisposable
{
    /// <summary>Bytes per read and write: large enough for throughput, small enough to keep memory bounded.</summary>
    public const int BufferSize = 128 * 1024;

    private bool _committed;

    private AtomicFile(string target, string temporary, FileStream stream)
    {
        Target = target;
        TemporaryPath = temporary;
        Stream = stream;
    }

    public string Target { get; }

    /// <summary><c>.&lt;name&gt;.&lt;random&gt;.partial</c> in the target's directory: the same filesystem, so the
    /// rename is atomic.</summary>
    public string TemporaryPath { get; }

    public FileStream Stream { get; }

    /// <summary>Creates the temporary file next to <paramref name="target"/> (never reusing an existing name).</summary>
    public static AtomicFile Create(string target)
    {
        var directory = Path.GetDirectoryName(target) ?? "/";
        var temporary = Path.Combine(directory,
            $".{Path.GetFileName(target)}.{Path.GetFileNameWithoutExtension(Path.GetRandomFileName())}.partial");
        var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0, // the callers write whole buffers; a second one would only copy.
            Options = FileOptions.Asynchronous,
        });
        return new AtomicFile(target, temporary, stream);
    }

    /// <summary>Flushes the data to disk, sets the mode and renames the file over (or, without
    /// <paramref name="overwrite"/>, onto a free) target.</summary>
    /// <exception cref="IOException">Without overwrite: the target appeared meanwhile.</exception>
    public async Task CommitAsync(bool overwrite, UnixFileMode? mode, CancellationToken cancellationToken)
    {
        await Stream.FlushAsync(cancellationToken);
        // fsync before the rename: after a crash the name must not point at a file whose data never reached disk.
        Stream.Flush(flushToDisk: true);
        await Stream.DisposeAsync();
        if (mode is { } permissions && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(TemporaryPath, permissions);
        }

        // rename(2) replaces atomically; without overwrite .NET links then unlinks, which fails if the target exists.
        File.Move(TemporaryPath, Target, overwrite);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync();
        if (!_committed)
        {
            try
            {
                File.Delete(TemporaryPath);
            }
            catch (Exception e) when (IoErrors.IsIo(e))
            {
                // Nothing more can be done; the hidden name marks it as debris.
            }
        }
    }
}
