using System.Security.Cryptography;
using System.Text.Json;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Filesystem;

/// <summary>filesystem.copy as a job: progress events, the destination lock, abort, refusals.</summary>
public sealed class FilesystemCopyTests(FilesystemDaemon fixture) : IClassFixture<FilesystemDaemon>
{
    private Daemon Daemon => fixture.Daemon;

    private static bool IsState(JsonElement message, long jobId, string state) =>
        message.Msg() == "changed" && message.GetProperty("id").GetInt64() == jobId &&
        message.GetProperty("fields").GetProperty("state").GetString() == state;

    [Fact]
    public async Task Copy_File_ReportsCopiedBytesAndSucceedsWithTrue()
    {
        var directory = fixture.NewDirectory();
        var source = Path.Combine(directory, "src.bin");
        var bytes = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 123);
        await File.WriteAllBytesAsync(source, bytes);
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());

        var jobId = (await client.CallResultAsync("filesystem.copy", source, Path.Combine(directory, "dst.bin")))
            .GetInt64();

        var added = await watcher.NextAsync(jobId, "added");
        added.GetProperty("fields").GetProperty("description").GetString()
            .Should().Be($"Copy {source} to {Path.Combine(directory, "dst.bin")}");
        var done = await watcher.StateAsync(jobId, "SUCCESS");
        done.GetProperty("result").GetBoolean().Should().BeTrue();
        done.GetProperty("progress").GetProperty("percent").GetInt32().Should().Be(100);
        done.GetProperty("progress").GetProperty("description").GetString()
            .Should().Be($"Copied {bytes.Length} of {bytes.Length} bytes");
        (await File.ReadAllBytesAsync(Path.Combine(directory, "dst.bin"))).Should().Equal(bytes);
        Directory.GetFiles(directory, "*.partial").Should().BeEmpty();
    }

    [Fact]
    public async Task Copy_SameDestination_SecondWaitsUntilTheFirstEnds()
    {
        var directory = fixture.NewDirectory();
        var destination = Path.Combine(directory, "dst.txt");
        var second = Path.Combine(directory, "second.txt");
        await File.WriteAllTextAsync(second, "from the second copy");
        await using var fifo = await Fifo.CreateAsync(Path.Combine(directory, "source.fifo"));
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());

        var firstId = (await client.CallResultAsync("filesystem.copy", fifo.Path, destination)).GetInt64();
        await watcher.StateAsync(firstId, "RUNNING");
        await fifo.OpenWriterAsync(); // the first copy is now reading, holding filesystem.copy:<dst>
        await fifo.WriteAsync("from the fifo"u8.ToArray());
        var secondId = (await client.CallResultAsync("filesystem.copy", second, destination,
            new { overwrite = true })).GetInt64();
        var otherId = (await client.CallResultAsync("filesystem.copy", second, destination + ".other")).GetInt64();

        await watcher.StateAsync(otherId, "SUCCESS"); // another destination is not held up
        var waiting = await client.CallResultAsync("core.get_jobs",
            (object)new object[] { new object[] { "id", "=", secondId } });
        waiting[0].GetProperty("state").GetString().Should().Be("WAITING");

        await fifo.DisposeAsync(); // end of the fifo's data: the first copy completes
        await watcher.StateAsync(firstId, "SUCCESS");
        // Events of one connection arrive in order, and what arrived before the first's SUCCESS was set aside
        // (Unmatched, not HasPending, which would also take in what arrived since): no RUNNING of the second there.
        watcher.Client.Unmatched.Should().NotContain(m => IsState(m, secondId, "RUNNING"));
        await watcher.StateAsync(secondId, "SUCCESS");
        (await File.ReadAllTextAsync(destination)).Should().Be("from the second copy");
    }

    [Fact]
    public async Task Copy_Aborted_EndsAbortedWithoutADestinationOrTemporaryFile()
    {
        var directory = fixture.NewDirectory();
        var destination = Path.Combine(directory, "dst.bin");
        await using var fifo = await Fifo.CreateAsync(Path.Combine(directory, "slow.fifo"));
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());

        var jobId = (await client.CallResultAsync("filesystem.copy", fifo.Path, destination)).GetInt64();
        await watcher.StateAsync(jobId, "RUNNING");
        await fifo.OpenWriterAsync();
        await fifo.WriteAsync(new byte[2 * 1024 * 1024]);
        var progress = await watcher.Client.ReceiveAsync(m => m.Msg() == "changed" &&
            m.GetProperty("id").GetInt64() == jobId &&
            m.GetProperty("fields").GetProperty("progress").GetProperty("description").GetString() is { } d &&
            d.StartsWith("Copied ", StringComparison.Ordinal) && d != "Copied 0 bytes");
        progress.GetProperty("fields").GetProperty("progress").GetProperty("description").GetString()
            .Should().MatchRegex("^Copied [0-9]+ bytes$", "a fifo's size is unknown");

        await client.CallResultAsync("core.job_abort", jobId);
        await fifo.WakeAsync(); // wakes a read blocked on the fifo; the copy then sees the abort
        var aborted = await watcher.StateAsync(jobId, "ABORTED");

        aborted.GetProperty("error").GetString().Should().Be("Aborted by root");
        File.Exists(destination).Should().BeFalse();
        Directory.GetFiles(directory, "*.partial").Should().BeEmpty("the temporary file is deleted on abort");
    }

    [Theory]
    [InlineData("/../outside/stolen.txt")]
    [InlineData("/link-dir-to-outside/stolen.txt")]
    public async Task Copy_DestinationEscapingTheRoot_IsRefusedAtCallTimeWithoutAJob(string suffix)
    {
        var directory = fixture.NewDirectory();
        var source = Path.Combine(directory, "src.txt");
        await File.WriteAllTextAsync(source, "data");
        var link = Path.Combine(fixture.Root, "link-dir-to-outside");
        if (!Path.Exists(link))
        {
            Directory.CreateSymbolicLink(link, fixture.Outside);
        }

        await using var client = await Daemon.ConnectAsRootAsync();
        var before = await JobCount.OfAsync(client);

        var error = await client.CallErrorAsync("filesystem.copy", source, fixture.Root + suffix);

        error.GetProperty("reason").GetString().Should().Contain("outside the configured filesystem roots");
        error.GetProperty("type").GetString().Should().Be("VALIDATION");
        error.GetProperty("error").GetInt32().Should().Be(13);
        error.GetProperty("extra")[0][0].GetString().Should().Be("filesystem_copy.dst");
        File.Exists(Path.Combine(fixture.Outside, "stolen.txt")).Should().BeFalse();
        (await JobCount.OfAsync(client)).Should().Be(before);
    }

    [Theory]
    [InlineData("missing-source", "dst", 2, "filesystem_copy.src")]
    [InlineData("src", "no-such-dir/dst", 2, "filesystem_copy.dst")]
    [InlineData("src", ".", 21, "filesystem_copy.dst")]
    [InlineData("src", "relative", 22, "filesystem_copy.dst")]
    public async Task Copy_CertainToFail_IsRefusedAtCallTimeWithoutAJob(string src, string dst, int errno,
        string attribute)
    {
        var directory = fixture.NewDirectory();
        await File.WriteAllTextAsync(Path.Combine(directory, "src"), "data");
        await using var client = await Daemon.ConnectAsRootAsync();
        var before = await JobCount.OfAsync(client);

        var error = await client.CallErrorAsync("filesystem.copy", Path.Combine(directory, src),
            dst == "relative" ? dst : Path.Combine(directory, dst));

        error.GetProperty("error").GetInt32().Should().Be(errno);
        error.GetProperty("extra")[0][0].GetString().Should().Be(attribute);
        (await JobCount.OfAsync(client)).Should().Be(before);
    }

    [Fact]
    public async Task Copy_ExistingDestination_IsRefusedWithEexistUnlessOverwrite()
    {
        var directory = fixture.NewDirectory();
        var (source, destination) = (Path.Combine(directory, "a"), Path.Combine(directory, "b"));
        await File.WriteAllTextAsync(source, "new");
        await File.WriteAllTextAsync(destination, "old");
        await using var client = await Daemon.ConnectAsRootAsync();

        var refused = await client.CallErrorAsync("filesystem.copy", source, destination);
        refused.GetProperty("error").GetInt32().Should().Be(17, "an existing destination is refused at call time");
        (await File.ReadAllTextAsync(destination)).Should().Be("old");

        var replaced = await client.CallResultAsync("core.job_wait",
            (await client.CallResultAsync("filesystem.copy", source, destination, new { overwrite = true })).GetInt64());
        replaced.GetBoolean().Should().BeTrue();
        (await File.ReadAllTextAsync(destination)).Should().Be("new");
    }
}
