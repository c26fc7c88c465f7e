using System.Buffers;
using System.IO.Compression;
using JobServer.Sdk.Errors;
using JobServer.Spark.Jobs;

namespace JobServer.Spark.Binaries;

/// <summary>
/// Unpacks an uploaded <c>application/zip</c> binary — a published .NET folder (<c>dotnet publish</c>'s output:
/// the job assembly and its dependencies) — into its version's own folder. Written here rather than with
/// <c>ZipFile.ExtractToDirectory</c>, which guards paths but neither links, nor entry counts, nor the size a
/// zip really inflates to. Every entry must be a plain file or folder with a relative path inside the target (no
/// absolute path, drive, <c>..</c>, backslash or link: zip-slip), the entries are bounded in number and in the
/// bytes actually written, and the folder must hold a .NET assembly at its top (or in its only subfolder, as
/// <c>zip -r job.zip publish/</c> makes it). It is extracted beside the target and renamed into place, so a crash
/// never leaves half a folder where a version is expected.
/// </summary>
internal static class SparkPublishedFolder
{
    /// <summary>The suffix of a folder being extracted (never listed; removed at start if a crash left one).</summary>
    public const string ExtractingSuffix = ".extracting";

    private const int MaxEntryNameLength = 1024;

    /// <summary>Unix file-type bits of a zip entry's external attributes (made by a Unix zip).</summary>
    private const int UnixTypeMask = 0xF000;

    private const int UnixSymbolicLink = 0xA000;

    /// <summary>Extracts <paramref name="zipPath"/> to the new folder <paramref name="target"/>.</summary>
    /// <exception cref="ValidationException">The zip is unsafe, too large or holds no .NET assembly (nothing is left behind).</exception>
    public static async Task ExtractAsync(string zipPath, string target, int maxEntries, long maxBytes,
        CancellationToken cancellationToken)
    {
        var extracting = target + ExtractingSuffix;
        Directory.CreateDirectory(extracting);
        try
        {
            try
            {
                await ExtractEntriesAsync(zipPath, extracting, maxEntries, maxBytes, cancellationToken);
            }
            catch (InvalidDataException e)
            {
                // A damaged central directory or entry surfaces wherever the archive is first read (found by
                // SparkPublishedFolderTests' mangled zips): the caller's bad body, not a storage failure.
                throw NotAPublishedFolder($"not a readable zip archive ({e.Message})");
            }

            var root = RootOf(extracting);
            Directory.Move(root, target);
        }
        finally
        {
            if (Directory.Exists(extracting))
            {
                Directory.Delete(extracting, recursive: true);
            }
        }
    }

    private static async Task ExtractEntriesAsync(string zipPath, string folder, int maxEntries, long maxBytes,
        CancellationToken cancellationToken)
    {
        var archive = await ZipArchive.CreateAsync(File.OpenRead(zipPath), ZipArchiveMode.Read, leaveOpen: false,
            entryNameEncoding: null, cancellationToken);
        await using (archive)
        {
            if (archive.Entries.Count > maxEntries)
            {
                throw NotAPublishedFolder($"the zip has more than {maxEntries} entries");
            }

            if (archive.Entries.Sum(e => e.Length) > maxBytes)
            {
                throw NotAPublishedFolder($"the zip extracts to more than {maxBytes} bytes");
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            var budget = maxBytes;
            var prefix = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
            foreach (var entry in archive.Entries)
            {
                var path = SafePath(entry, prefix);
                if (!names.Add(entry.FullName.TrimEnd('/')))
                {
                    throw NotAPublishedFolder($"the entry {entry.FullName} is there twice");
                }

                if (entry.FullName.EndsWith('/'))
                {
                    Directory.CreateDirectory(path);
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                budget -= await CopyBoundedAsync(entry, path, budget, maxBytes, cancellationToken);
            }
        }
    }

    /// <summary>The entry's full path inside the folder, or a refusal when the entry could reach outside it.</summary>
    private static string SafePath(ZipArchiveEntry entry, string prefix)
    {
        var name = entry.FullName;
        var unsafeName = name.Length is 0 or > MaxEntryNameLength || name.Contains('\\') || name.Contains('\0') ||
                         name.StartsWith('/') || Path.IsPathRooted(name) || (name.Length >= 2 && name[1] == ':') ||
                         name.Split('/').Any(segment => segment is ".." or ".");
        if (unsafeName)
        {
            throw NotAPublishedFolder($"the entry {Shown(name)} has an unsafe path");
        }

        if (((entry.ExternalAttributes >> 16) & UnixTypeMask) == UnixSymbolicLink)
        {
            throw NotAPublishedFolder($"the entry {Shown(name)} is a link");
        }

        var path = Path.GetFullPath(prefix + name);
        return path.StartsWith(prefix, StringComparison.Ordinal) || path + Path.DirectorySeparatorChar == prefix
            ? path
            : throw NotAPublishedFolder($"the entry {Shown(name)} has an unsafe path");
    }

    /// <summary>Copies one entry, refusing it once the bytes written pass what is left of the budget.</summary>
    private static async Task<long> CopyBoundedAsync(ZipArchiveEntry entry, string path, long budget, long maxBytes,
        CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            await using var source = await entry.OpenAsync(cancellationToken);
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1,
                FileOptions.Asynchronous);
            long written = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                written += read;
                if (written > budget)
                {
                    throw NotAPublishedFolder($"the zip extracts to more than {maxBytes} bytes");
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            return written;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The folder holding the assemblies: the top, or its only subfolder; a refusal when neither has one.</summary>
    private static string RootOf(string folder)
    {
        if (HasAssembly(folder))
        {
            return folder;
        }

        var only = Directory.GetFileSystemEntries(folder);
        if (only.Length == 1 && Directory.Exists(only[0]) && HasAssembly(only[0]))
        {
            return only[0];
        }

        throw NotAPublishedFolder("the zip holds no .NET assembly at its top (nor in its only folder)");
    }

    private static bool HasAssembly(string folder) =>
        Directory.EnumerateFiles(folder, "*.dll").Any(SparkClassInspector.IsAssembly);

    private static string Shown(string name) => name.Length > 200 ? name[..200] + "…" : name;

    private static ValidationException NotAPublishedFolder(string reason) =>
        new(null, $"Binary is not of the right format: {reason}");
}
