using System.IO.Compression;
using JobServer.Sdk.Errors;
using JobServer.Spark.Binaries;
using spark.jobserver;

namespace JobServer.Tests.Spark;

/// <summary>A published .NET folder's zip is extracted whole into its own folder, or refused leaving nothing behind.</summary>
public sealed class SparkPublishedFolderTests : IDisposable
{
    private const int MaxEntries = 20;
    private const long MaxBytes = 1024 * 1024;

    private readonly string _folder = Directory.CreateTempSubdirectory("spark-published-").FullName;

    private string Target => Path.Combine(_folder, "version");

    [Fact]
    public async Task AFolderWithAnAssembly_IsExtractedWhole()
    {
        var zip = Zip(("WordCount.dll", WordCount()), ("WordCount.deps.json", "{}"u8.ToArray()), ("runtimes/x/a.txt", [1]));

        await ExtractAsync(zip);

        File.ReadAllBytes(Path.Combine(Target, "WordCount.dll")).Should().Equal(WordCount());
        File.Exists(Path.Combine(Target, "runtimes", "x", "a.txt")).Should().BeTrue();
        Directory.GetDirectories(_folder).Should().Equal(Target);
    }

    [Fact]
    public async Task AZipOfThePublishFolderItself_HasItsOnlyFolderAsTheRoot()
    {
        var zip = Zip(("publish/", []), ("publish/WordCount.dll", WordCount()));

        await ExtractAsync(zip);

        File.Exists(Path.Combine(Target, "WordCount.dll")).Should().BeTrue();
    }

    [Theory]
    [InlineData("../evil.dll", "unsafe path")]
    [InlineData("lib/../../evil.dll", "unsafe path")]
    [InlineData("/etc/evil.dll", "unsafe path")]
    [InlineData("C:/evil.dll", "unsafe path")]
    [InlineData("lib\\..\\evil.dll", "unsafe path")]
    public async Task AnEntryOutsideTheFolder_IsRefused(string name, string reason) =>
        await RefusedAsync(Zip(("WordCount.dll", WordCount()), (name, [1])), reason);

    [Fact]
    public async Task ALinkEntry_IsRefused()
    {
        using var withLink = new MemoryStream();
        using (var archive = new ZipArchive(withLink, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var dll = archive.CreateEntry("WordCount.dll").Open())
            {
                dll.Write(WordCount());
            }

            var link = archive.CreateEntry("escape");
            link.ExternalAttributes = unchecked((int)(0xA1FFu << 16));
            using var target = link.Open();
            target.Write("/etc"u8);
        }

        await RefusedAsync(withLink.ToArray(), "is a link");
    }

    [Fact]
    public async Task NoAssembly_IsRefused() =>
        await RefusedAsync(Zip(("readme.txt", "hello"u8.ToArray()), ("native.dll", "MZ but not managed"u8.ToArray())),
            "no .NET assembly");

    [Fact]
    public async Task TooManyEntries_IsRefused() =>
        await RefusedAsync(Zip([("WordCount.dll", WordCount()), .. Enumerable.Range(0, MaxEntries).Select(i => ($"f{i}", new byte[] { 1 }))]),
            $"more than {MaxEntries} entries");

    [Fact]
    public async Task MoreBytesThanTheLimit_IsRefused_ThoughItCompressesSmall() =>
        await RefusedAsync(Zip(("WordCount.dll", WordCount()), ("zeros.bin", new byte[MaxBytes + 1])), $"more than {MaxBytes} bytes");

    [Fact]
    public async Task ADuplicateEntry_IsRefused() =>
        await RefusedAsync(Zip(("WordCount.dll", WordCount()), ("a.txt", [1]), ("a.txt", [2])), "twice");

    [Fact]
    public async Task NotAZip_IsRefused() =>
        await RefusedAsync("PK\u0003\u0004 but nothing else"u8.ToArray(), "not a readable zip archive");

    [Fact]
    public async Task AMangledZip_IsExtractedOrRefused_NeverAnotherFailure()
    {
        var valid = Zip(("WordCount.dll", WordCount()), ("lib/", []), ("lib/a.txt", "text"u8.ToArray()));
        var random = new Random(15);
        for (var round = 0; round < 300; round++)
        {
            var mangled = (byte[])valid.Clone();
            for (var flips = random.Next(1, 8); flips > 0; flips--)
            {
                mangled[random.Next(mangled.Length)] = (byte)random.Next(256);
            }

            try
            {
                await ExtractAsync(mangled);
                Directory.Delete(Target, recursive: true);
            }
            catch (ValidationException)
            {
                // refused: the expected answer to most damage
            }

            Directory.GetFileSystemEntries(_folder).Should().Equal([Path.Combine(_folder, "upload.zip")], $"round {round} leaves nothing");
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task RefusedAsync(byte[] zip, string reason)
    {
        await FluentActions.Awaiting(() => ExtractAsync(zip)).Should().ThrowAsync<ValidationException>()
            .WithMessage($"*Binary is not of the right format: *{reason}*");
        Directory.GetFileSystemEntries(_folder).Should().Equal([Path.Combine(_folder, "upload.zip")], "nothing is left behind");
    }

    private Task ExtractAsync(byte[] zip)
    {
        var path = Path.Combine(_folder, "upload.zip");
        File.WriteAllBytes(path, zip);
        return SparkPublishedFolder.ExtractAsync(path, Target, MaxEntries, MaxBytes, CancellationToken.None);
    }

    private static byte[] WordCount() => File.ReadAllBytes(typeof(WordCountExample).Assembly.Location);

    private static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var entry = archive.CreateEntry(name).Open();
                entry.Write(bytes);
            }
        }

        return zip.ToArray();
    }
}
