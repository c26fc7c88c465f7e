using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Filesystem;

/// <summary>stat, listdir, mkdir and the roots check over DDP.</summary>
public sealed class FilesystemQueryTests(FilesystemDaemon fixture) : IClassFixture<FilesystemDaemon>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Stat_FileInsideTheRoot_ReturnsItsEntry()
    {
        var file = Path.Combine(fixture.NewDirectory(), "hello.txt");
        await File.WriteAllTextAsync(file, "hello");
        await using var client = await Daemon.ConnectAsRootAsync();

        var entry = await client.CallResultAsync("filesystem.stat", file);

        entry.GetProperty("name").GetString().Should().Be("hello.txt");
        entry.GetProperty("path").GetString().Should().Be(file);
        entry.GetProperty("realpath").GetString().Should().Be(file);
        entry.GetProperty("type").GetString().Should().Be("FILE");
        entry.GetProperty("size").GetInt64().Should().Be(5);
        (entry.GetProperty("mode").GetInt32() & 0xF000).Should().Be(0x8000);
        entry.GetProperty("mtime").GetProperty("$date").GetInt64().Should().BePositive();
    }

    [Fact]
    public async Task Listdir_WithFiltersAndOrderBy_ReturnsTheMatchingEntriesInOrder()
    {
        var directory = fixture.NewDirectory();
        await File.WriteAllTextAsync(Path.Combine(directory, "a.log"), "1");
        await File.WriteAllTextAsync(Path.Combine(directory, "b.log"), "12345");
        await File.WriteAllTextAsync(Path.Combine(directory, "c.txt"), "123");
        Directory.CreateDirectory(Path.Combine(directory, "d.log"));
        await using var client = await Daemon.ConnectAsRootAsync();

        var rows = await client.CallResultAsync("filesystem.listdir", directory,
            new object[] { new object[] { "type", "=", "FILE" }, new object[] { "name", "$", ".log" } },
            new { order_by = new[] { "-size" }, select = new[] { "name", "size" } });

        rows.EnumerateArray().Select(r => r.GetRawText()).Should().Equal(
            """{"name":"b.log","size":5}""", """{"name":"a.log","size":1}""");
        var count = await client.CallResultAsync("filesystem.listdir", directory, Array.Empty<object>(),
            new { count = true });
        count.GetInt32().Should().Be(4);
    }

    [Fact]
    public async Task Mkdir_WithParentsAndMode_CreatesTheDirectory()
    {
        var target = Path.Combine(fixture.NewDirectory(), "x", "y");
        await using var client = await Daemon.ConnectAsRootAsync();

        var entry = await client.CallResultAsync("filesystem.mkdir", target, new { mode = "700", parents = true });

        entry.GetProperty("type").GetString().Should().Be("DIRECTORY");
        (entry.GetProperty("mode").GetInt32() & 0x1FF).Should().Be(0x1C0);
        Directory.Exists(target).Should().BeTrue();
        var again = await client.CallErrorAsync("filesystem.mkdir", target);
        again.GetProperty("error").GetInt32().Should().Be(17);
    }

    public static TheoryData<string, string> Escapes => new()
    {
        { "dotdot", "/../outside/secret.txt" },
        { "symlink", "/link-to-outside" },
        { "elsewhere", "" },
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task Stat_PathEscapingTheRoot_IsRefusedWithEacces(string kind, string suffix)
    {
        var secret = Path.Combine(fixture.Outside, "secret.txt");
        await File.WriteAllTextAsync(secret, "secret");
        var link = Path.Combine(fixture.Root, "link-to-outside");
        if (!Path.Exists(link))
        {
            File.CreateSymbolicLink(link, secret);
        }

        var path = kind == "elsewhere" ? secret : fixture.Root + suffix;
        await using var client = await Daemon.ConnectAsRootAsync();

        var error = await client.CallErrorAsync("filesystem.stat", path);

        error.GetProperty("error").GetInt32().Should().Be(13);
        error.GetProperty("type").GetString().Should().Be("VALIDATION");
        error.GetProperty("reason").GetString().Should().Contain("outside the configured filesystem roots");
        var extra = error.GetProperty("extra")[0];
        extra[0].GetString().Should().Be("filesystem_stat.path");
        extra[2].GetInt32().Should().Be(13);
    }

    [Fact]
    public async Task Stat_RelativePath_IsRefusedWithEinval()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var error = await client.CallErrorAsync("filesystem.stat", "relative/path");

        error.GetProperty("error").GetInt32().Should().Be(22);
        error.GetProperty("extra")[0][0].GetString().Should().Be("filesystem_stat.path");
    }

    [Fact]
    public async Task Listdir_UnknownOption_IsAQueryValidationError()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var error = await client.CallErrorAsync("filesystem.listdir", fixture.Root,
            new object[] { new object[] { "name", "bogus", 1 } });

        error.GetProperty("type").GetString().Should().Be("VALIDATION");
        error.GetProperty("reason").GetString().Should().Contain("query-filters");
    }

    [Fact]
    public async Task Methods_AreListedWithTheirRolesAndPipes()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var methods = await client.CallResultAsync("core.get_methods");

        methods.TryGetProperty("filesystem.stat", out _).Should().BeTrue();
        methods.GetProperty("filesystem.copy").GetProperty("job").GetBoolean().Should().BeTrue();
        methods.TryGetProperty("filesystem.get", out _).Should().BeTrue();
        methods.TryGetProperty("filesystem.put", out _).Should().BeTrue();
    }
}
