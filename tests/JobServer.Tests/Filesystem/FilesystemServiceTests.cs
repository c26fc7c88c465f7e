using System.Text.Json.Nodes;
using JobServer.Sdk.Errors;
using JobServer.Sdk.Query;
using JobServer.Services.Filesystem;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobServer.Tests.Filesystem;

public sealed class FilesystemServiceTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly FilesystemService _service;

    public FilesystemServiceTests() =>
        _service = new FilesystemService(TempTree.RootsOf(_tree.Root), NullLogger<FilesystemService>.Instance);

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void Stat_RegularFile_ReportsTypeSizeModeAndTimes()
    {
        var file = _tree.WriteFile(_tree.InRoot("f.txt"), "12345");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, (UnixFileMode)Convert.ToInt32("640", 8));
        }

        var entry = _service.Stat(file);

        entry.Should().BeEquivalentTo(new { Name = "f.txt", Path = file, Realpath = file, Type = FileType.File, Size = 5L });
        entry.Mode.Should().Be(0x8000 | Convert.ToInt32("640", 8));
        entry.Mtime.Should().BeCloseTo(File.GetLastWriteTimeUtc(file), TimeSpan.FromSeconds(1));
        if (OperatingSystem.IsLinux())
        {
            // statx: the owner is whoever runs the tests, so only its presence is checked.
            entry.Uid.Should().NotBeNull();
            entry.Gid.Should().NotBeNull();
        }
    }

    [Fact]
    public void Stat_SymlinkInsideTheRoot_ReportsTheLinkWithItsRealpath()
    {
        var target = _tree.WriteFile(_tree.InRoot("target.txt"));
        File.CreateSymbolicLink(_tree.InRoot("link"), "target.txt");

        var entry = _service.Stat(_tree.InRoot("link"));

        entry.Type.Should().Be(FileType.Symlink);
        entry.Path.Should().Be(_tree.InRoot("link"));
        entry.Realpath.Should().Be(target);
    }

    [Fact]
    public void Stat_Missing_IsEnoent()
    {
        var error = FluentActions.Invoking(() => _service.Stat(_tree.InRoot("nope")))
            .Should().Throw<ValidationException>().Which;

        error.Errno.Should().Be(Errno.ENOENT);
        error.Errors[0].Attribute.Should().Be("filesystem_stat.path");
    }

    [Fact]
    public void Listdir_Directory_ListsEntriesByNameWithTypes()
    {
        _tree.WriteFile(_tree.InRoot("b.txt"), "bb");
        _tree.WriteFile(_tree.InRoot("a.txt"), "a");
        Directory.CreateDirectory(_tree.InRoot("sub"));

        var rows = _service.Listdir(_tree.Root)!.AsArray();

        rows.Select(r => (string?)r!["name"]).Should().Equal("a.txt", "b.txt", "sub");
        rows.Select(r => (string?)r!["type"]).Should().Equal("FILE", "FILE", "DIRECTORY");
        rows[0]!["mtime"]!["$date"]!.GetValue<long>().Should().BePositive();
    }

    [Fact]
    public void Listdir_FiltersAndOrder_UseTheQueryEngine()
    {
        _tree.WriteFile(_tree.InRoot("small.txt"), "1");
        _tree.WriteFile(_tree.InRoot("big.txt"), "1234567890");
        _tree.WriteFile(_tree.InRoot("mid.log"), "12345");

        var rows = _service.Listdir(_tree.Root, [new JsonArray("type", "=", "FILE"), new JsonArray("size", ">", 1)],
            new QueryOptions { OrderBy = ["-size"], Select = ["name"] })!.AsArray();

        rows.Select(r => r!.ToJsonString()).Should().Equal("{\"name\":\"big.txt\"}", "{\"name\":\"mid.log\"}");
    }

    [Fact]
    public void Listdir_LinkLeadingOutside_IsListedWithoutARealpath()
    {
        File.CreateSymbolicLink(_tree.InRoot("escape"), _tree.Outside);

        var row = _service.Listdir(_tree.Root)!.AsArray().Single()!;

        row["type"]!.GetValue<string>().Should().Be("SYMLINK");
        row["realpath"].Should().BeNull();
    }

    [Fact]
    public void Listdir_AFile_IsEnotdir()
    {
        var file = _tree.WriteFile(_tree.InRoot("f"));

        FluentActions.Invoking(() => _service.Listdir(file)).Should().Throw<ValidationException>()
            .Which.Errno.Should().Be(Errno.ENOTDIR);
    }

    [Fact]
    public void Mkdir_WithMode_CreatesTheDirectoryWithExactlyThatMode()
    {
        var entry = _service.Mkdir(_tree.InRoot("new"), new MkdirOptions(Mode: "750"));

        entry.Type.Should().Be(FileType.Directory);
        entry.Mode.Should().Be(0x4000 | Convert.ToInt32("750", 8));
        Directory.Exists(_tree.InRoot("new")).Should().BeTrue();
    }

    [Fact]
    public void Mkdir_MissingParentWithoutParents_IsEnoent()
    {
        FluentActions.Invoking(() => _service.Mkdir(_tree.InRoot("x/y"))).Should().Throw<ValidationException>()
            .Which.Errno.Should().Be(Errno.ENOENT);
        Directory.Exists(_tree.InRoot("x")).Should().BeFalse();
    }

    [Fact]
    public void Mkdir_WithParents_CreatesEveryLevel()
    {
        _service.Mkdir(_tree.InRoot("x/y/z"), new MkdirOptions(Parents: true)).Name.Should().Be("z");

        Directory.Exists(_tree.InRoot("x/y/z")).Should().BeTrue();
    }

    [Fact]
    public void Mkdir_Existing_IsEexist()
    {
        Directory.CreateDirectory(_tree.InRoot("there"));

        FluentActions.Invoking(() => _service.Mkdir(_tree.InRoot("there"))).Should().Throw<ValidationException>()
            .Which.Errno.Should().Be(Errno.EEXIST);
    }

    [Theory]
    [InlineData("rwx")]
    [InlineData("75")]
    [InlineData("1777777")]
    [InlineData("789")]
    public void Mkdir_BadMode_IsEinvalOnTheOption(string mode)
    {
        var error = FluentActions.Invoking(() => _service.Mkdir(_tree.InRoot("m"), new MkdirOptions(Mode: mode)))
            .Should().Throw<ValidationException>().Which;

        error.Errors[0].Attribute.Should().Be("filesystem_mkdir.options.mode");
        Directory.Exists(_tree.InRoot("m")).Should().BeFalse();
    }

    [Fact]
    public void Mkdir_OutsideTheRoots_IsEaccesAndCreatesNothing()
    {
        var outside = Path.Combine(_tree.Outside, "made");

        FluentActions.Invoking(() => _service.Mkdir(_tree.Root + "/../outside/made"))
            .Should().Throw<ValidationException>().Which.Errno.Should().Be(Errno.EACCES);
        Directory.Exists(outside).Should().BeFalse();
    }
}
