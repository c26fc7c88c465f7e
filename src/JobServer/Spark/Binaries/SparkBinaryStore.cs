using JobServer.Configuration;
using JobServer.Sdk.Errors;
using JobServer.Spark.Storage;
using JobServer.Storage.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JobServer.Spark.Binaries;

/// <summary>
/// The binaries folder (<c>&lt;data-dir&gt;/spark/binaries</c>) and its index in <see cref="SparkDbContext"/>. An
/// upload streams to a temporary file, is checked, renamed into place and only then recorded, so a listed version
/// is always a whole file. Files are named by GUID: a binary's name never becomes a path. A published .NET folder
/// (<see cref="SparkBinaryType.Zip"/>) is extracted once into its own <c>&lt;guid&gt;</c> folder, which is the version.
/// Which version is current is remembered per name (<see cref="SparkCurrentVersions"/>), so a job's submit costs
/// no query.
/// </summary>
internal sealed partial class SparkBinaryStore(
    IDbContextFactory<SparkDbContext> databases,
    JobServerDatabase database,
    IOptions<JobServerOptions> serverOptions,
    IOptions<SparkOptions> sparkOptions,
    TimeProvider time,
    ILogger<SparkBinaryStore> logger)
{
    private const string PartialSuffix = ".part";

    private const string DeletingSuffix = ".deleting";

    /// <summary>The newest row of a name: compiled once, so a lookup skips EF's expression work.</summary>
    private static readonly Func<SparkDbContext, string, CancellationToken, Task<SparkBinaryRecord?>> Newest =
        EF.CompileAsyncQuery((SparkDbContext db, string name, CancellationToken _) =>
            db.Binaries.Where(b => b.Name == name).OrderByDescending(b => b.Id).FirstOrDefault());

    /// <summary>Shared when the table is (PostgreSQL: every node writes it), exact when it is this daemon's alone.</summary>
    private readonly SparkCurrentVersions _current = new(time, shared: database.IsPostgreSql);

    private string Folder => serverOptions.Value.DataPath("spark", "binaries");

    /// <summary>Stores <paramref name="content"/> as a new version of <paramref name="name"/>.</summary>
    /// <exception cref="ValidationException">The content does not start as <paramref name="type"/> must.</exception>
    public async Task<SparkBinaryInfo> SaveAsync(string name, SparkBinaryType type, Stream content,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var guid = Guid.NewGuid().ToString("N");
        var fileName = type == SparkBinaryType.Zip ? guid : guid + ".bin";
        var path = Path.Combine(Folder, fileName);
        var partial = Path.Combine(Folder, guid + ".bin" + PartialSuffix);
        try
        {
            var size = await CopyCheckedAsync(type, content, partial, cancellationToken);
            if (type == SparkBinaryType.Zip)
            {
                var limits = sparkOptions.Value;
                await SparkPublishedFolder.ExtractAsync(partial, path, limits.MaxZipEntries, limits.MaxZipUncompressedBytes,
                    cancellationToken);
                File.Delete(partial);
            }
            else
            {
                File.Move(partial, path);
            }

            var record = new SparkBinaryRecord
            {
                Name = name, BinaryType = type.ToString(), FileName = fileName, SizeBytes = size,
                UploadedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            };
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            db.Binaries.Add(record);
            await db.SaveChangesAsync(cancellationToken);
            _current.Forget(name);
            LogStored(logger, name, type, size);
            return ToInfo(record);
        }
        catch
        {
            File.Delete(partial);
            Remove(path);
            throw;
        }
    }

    /// <summary>The newest version of every name, by name.</summary>
    public async Task<IReadOnlyList<SparkBinaryInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var newest = db.Binaries.GroupBy(b => b.Name).Select(g => g.Max(b => b.Id));
        var rows = await db.Binaries.Where(b => newest.Contains(b.Id)).OrderBy(b => b.Name).ToListAsync(cancellationToken);
        return rows.ConvertAll(ToInfo);
    }

    /// <summary>The newest version of <paramref name="name"/>, or null.</summary>
    public async Task<SparkBinaryInfo?> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (_current.TryGet(name, out var remembered))
        {
            return remembered;
        }

        var generation = _current.Generation;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (await Newest(db, name, cancellationToken) is not { } row)
        {
            return null;
        }

        var binary = ToInfo(row);
        _current.Remember(binary, generation);
        return binary;
    }

    /// <summary>Removes every version of <paramref name="name"/>; false when there is none.</summary>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var rows = await db.Binaries.Where(b => b.Name == name).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return false;
        }

        db.Binaries.RemoveRange(rows);
        await db.SaveChangesAsync(cancellationToken);
        _current.Forget(name);
        // A job still running an old version keeps its open file (Linux unlinks, the inode lives on).
        foreach (var row in rows)
        {
            Remove(Path.Combine(Folder, row.FileName));
        }

        LogDeleted(logger, name, rows.Count);
        return true;
    }

    /// <summary>
    /// Removes what a crash left half-made: an upload's partial file, a folder being extracted or deleted. None is
    /// ever listed (a version is recorded only once whole), so this only frees the disk. Called once at start.
    /// </summary>
    public void RemoveLeftovers()
    {
        if (!Directory.Exists(Folder))
        {
            return;
        }

        foreach (var partial in Directory.EnumerateFiles(Folder, "*" + PartialSuffix))
        {
            File.Delete(partial);
        }

        foreach (var folder in Directory.EnumerateDirectories(Folder)
                     .Where(d => d.EndsWith(SparkPublishedFolder.ExtractingSuffix, StringComparison.Ordinal) ||
                                 d.EndsWith(DeletingSuffix, StringComparison.Ordinal)))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Deletes a version's file, or its folder: renamed aside first, so a crash mid-way never leaves a
    /// half-deleted folder under the version's own name.
    /// </summary>
    private static void Remove(string path)
    {
        if (!Directory.Exists(path))
        {
            File.Delete(path);
            return;
        }

        var deleting = path + DeletingSuffix;
        Directory.Move(path, deleting);
        Directory.Delete(deleting, recursive: true);
    }

    private static async Task<long> CopyCheckedAsync(SparkBinaryType type, Stream content, string path,
        CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1,
            FileOptions.Asynchronous);
        var buffer = new byte[81920];
        var head = new byte[SparkBinaryTypes.SignatureLength];
        var headLength = 0;
        long size = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (headLength < head.Length)
            {
                var take = Math.Min(read, head.Length - headLength);
                buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                headLength += take;
                if (headLength == head.Length && !SparkBinaryTypes.HasSignature(type, head))
                {
                    throw NotItsType();
                }
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            size += read;
        }

        return headLength < head.Length && !SparkBinaryTypes.HasSignature(type, head.AsSpan(0, headLength))
            ? throw NotItsType()
            : size;
    }

    private static ValidationException NotItsType() => new(null, "Binary is not of the right format");

    private SparkBinaryInfo ToInfo(SparkBinaryRecord row) =>
        new(row.Id, row.Name, Enum.Parse<SparkBinaryType>(row.BinaryType),
            DateTimeOffset.FromUnixTimeMilliseconds(row.UploadedAtMs), Path.Combine(Folder, row.FileName));

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored Spark binary {Name} ({Type}, {Bytes} bytes)")]
    private static partial void LogStored(ILogger logger, string name, SparkBinaryType type, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted Spark binary {Name} ({Versions} version(s))")]
    private static partial void LogDeleted(ILogger logger, string name, int versions);
}
