using System.Security.Cryptography;
using JobServer.Sdk.Errors;
using JobServer.Services.Filesystem;
using JobServer.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobServer.Tests.Filesystem;

/// <summary>get, put and copy at the service level: real files, real streams, a fake job context.</summary>
public sealed class FilesystemJobTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly FilesystemService _service;

    public FilesystemJobTests() =>
        _service = new FilesystemService(TempTree.RootsOf(_tree.Root), NullLogger<FilesystemService>.Instance);

    public void Dispose() => _tree.Dispose();

    private string WriteRandom(string relative, int bytes)
    {
        var path = _tree.InRoot(relative);
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(bytes));
        return path;
    }

    private string[] LeftoverTemporaries() =>
        Directory.GetFiles(_tree.Root, "*.partial", SearchOption.AllDirectories);

    [Fact]
    public async Task Get_RegularFile_StreamsItsBytesToTheOutput()
    {
        var file = WriteRandom("data.bin", 3 * 1024 * 1024 + 17);
        using var output = new MemoryStream();
        using var job = new FakeJobContext(output: output);

        await _service.Get(job, file);

        output.ToArray().Should().Equal(await File.ReadAllBytesAsync(file));
        job.Progress[^1].Should().Be((100, $"Sent {3 * 1024 * 1024 + 17} of {3 * 1024 * 1024 + 17} bytes"));
    }

    [Fact]
    public async Task Get_Directory_IsEisdir()
    {
        using var job = new FakeJobContext(output: new MemoryStream());

        var error = (await FluentActions.Awaiting(() => _service.Get(job, _tree.Root))
            .Should().ThrowAsync<ValidationException>()).Which;

        error.Errno.Should().Be(Errno.EISDIR);
    }

    [Fact]
    public async Task Put_NewFile_WritesTheUploadAtomically()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        using var job = new FakeJobContext(input: new MemoryStream(bytes));

        (await _service.Put(job, _tree.InRoot("up.bin"))).Should().BeTrue();

        (await File.ReadAllBytesAsync(_tree.InRoot("up.bin"))).Should().Equal(bytes);
        LeftoverTemporaries().Should().BeEmpty();
        job.Progress[^1].Description.Should().Be("Received 300000 bytes");
    }

    [Fact]
    public async Task Put_Append_AddsToTheExistingFileAndKeepsItsMode()
    {
        var file = _tree.WriteFile(_tree.InRoot("log.txt"), "one\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        using var job = new FakeJobContext(input: new MemoryStream("two\n"u8.ToArray()));

        await _service.Put(job, file, new PutOptions(Append: true));

        (await File.ReadAllTextAsync(file)).Should().Be("one\ntwo\n");
        _service.Stat(file).Mode.Should().Be(0x8000 | Convert.ToInt32("600", 8));
    }

    [Fact]
    public async Task Put_Replace_AppliesTheRequestedMode()
    {
        var file = _tree.WriteFile(_tree.InRoot("x.txt"), "old");
        using var job = new FakeJobContext(input: new MemoryStream("new"u8.ToArray()));

        await _service.Put(job, file, new PutOptions(Mode: "640"));

        (await File.ReadAllTextAsync(file)).Should().Be("new");
        _service.Stat(file).Mode.Should().Be(0x8000 | Convert.ToInt32("640", 8));
    }

    [Fact]
    public async Task Put_InputFailsMidway_LeavesTheOldFileAndNoTemporary()
    {
        var file = _tree.WriteFile(_tree.InRoot("keep.txt"), "original");
        using var job = new FakeJobContext(input: new FailingStream(afterBytes: 200_000));

        await FluentActions.Awaiting(() => _service.Put(job, file)).Should().ThrowAsync<Exception>();

        (await File.ReadAllTextAsync(file)).Should().Be("original");
        LeftoverTemporaries().Should().BeEmpty();
    }

    [Fact]
    public async Task Put_OutsideTheRoots_IsEaccesAndReadsNothing()
    {
        using var input = new MemoryStream("x"u8.ToArray());
        using var job = new FakeJobContext(input: input);

        var error = (await FluentActions.Awaiting(() => _service.Put(job, Path.Combine(_tree.Outside, "f")))
            .Should().ThrowAsync<ValidationException>()).Which;

        error.Errors[0].Should().Be(new ValidationError("filesystem_put.path",
            $"{Path.Combine(_tree.Outside, "f")} is outside the configured filesystem roots", Errno.EACCES));
        input.Position.Should().Be(0);
    }

    [Fact]
    public async Task Copy_File_CopiesBytesReportsProgressAndReturnsTrue()
    {
        var size = 2 * 1024 * 1024 + 5;
        var source = WriteRandom("src.bin", size);
        using var job = new FakeJobContext();

        (await _service.Copy(job, source, _tree.InRoot("dst.bin"))).Should().BeTrue();

        (await File.ReadAllBytesAsync(_tree.InRoot("dst.bin"))).Should().Equal(await File.ReadAllBytesAsync(source));
        job.Progress[0].Should().Be((0, $"Copied 0 of {size} bytes"));
        job.Progress.Should().Contain((49, $"Copied {1024 * 1024} of {size} bytes"));
        job.Progress[^1].Should().Be((100, $"Copied {size} of {size} bytes"));
        LeftoverTemporaries().Should().BeEmpty();
    }

    [Fact]
    public async Task Copy_Fifo_CopiesUntilTheWriterClosesAndReportsBytesOnly()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fifo = _tree.InRoot("in.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
        }

        using var job = new FakeJobContext();
        // On a worker thread, as the daemon runs jobs: opening a fifo blocks until its writer opens it.
        var copy = Task.Run(() => _service.Copy(job, fifo, _tree.InRoot("out.bin")));
        var payload = RandomNumberGenerator.GetBytes(1_500_000);
        await using (var writer = await Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Write))
                         .WaitAsync(TimeSpan.FromSeconds(15)))
        {
            await writer.WriteAsync(payload);
        }

        (await copy.WaitAsync(TimeSpan.FromSeconds(15))).Should().BeTrue();
        (await File.ReadAllBytesAsync(_tree.InRoot("out.bin"))).Should().Equal(payload);
        job.Progress[^1].Should().Be(((int?)null, "Copied 1500000 bytes"));
    }

    [Fact]
    public async Task Copy_EmptyFile_ReportsHundredPercent()
    {
        var source = _tree.WriteFile(_tree.InRoot("empty"), "");
        using var job = new FakeJobContext();

        await _service.Copy(job, source, _tree.InRoot("empty2"));

        job.Progress[^1].Should().Be((100, "Copied 0 of 0 bytes"));
        new FileInfo(_tree.InRoot("empty2")).Length.Should().Be(0);
    }

    [Fact]
    public async Task Copy_ExistingDestinationWithoutOverwrite_IsEexistAndLeavesItAlone()
    {
        var source = _tree.WriteFile(_tree.InRoot("a"), "new");
        var destination = _tree.WriteFile(_tree.InRoot("b"), "old");
        using var job = new FakeJobContext();

        var error = (await FluentActions.Awaiting(() => _service.Copy(job, source, destination))
            .Should().ThrowAsync<ValidationException>()).Which;

        error.Errors[0].Attribute.Should().Be("filesystem_copy.dst");
        error.Errno.Should().Be(Errno.EEXIST);
        (await File.ReadAllTextAsync(destination)).Should().Be("old");
    }

    [Fact]
    public async Task Copy_ExistingDestinationWithOverwrite_ReplacesIt()
    {
        var source = _tree.WriteFile(_tree.InRoot("a"), "new");
        var destination = _tree.WriteFile(_tree.InRoot("b"), "old");
        using var job = new FakeJobContext();

        await _service.Copy(job, source, destination, new CopyOptions(Overwrite: true));

        (await File.ReadAllTextAsync(destination)).Should().Be("new");
    }

    [Fact]
    public async Task Copy_Aborted_EndsCancelledAndLeavesNothingBehind()
    {
        var source = WriteRandom("big.bin", 4 * 1024 * 1024);
        using var job = new FakeJobContext { OnProgress = j => { if (j.Progress.Count == 2) j.Abort(); } };

        await FluentActions.Awaiting(() => _service.Copy(job, source, _tree.InRoot("copy.bin")))
            .Should().ThrowAsync<OperationCanceledException>();

        File.Exists(_tree.InRoot("copy.bin")).Should().BeFalse();
        LeftoverTemporaries().Should().BeEmpty();
    }

    [Theory]
    [InlineData("/../outside/secret", "filesystem_copy.src")]
    [InlineData("/link-out", "filesystem_copy.src")]
    public async Task Copy_SourceEscapingTheRoot_IsEacces(string relative, string attribute)
    {
        _tree.WriteFile(Path.Combine(_tree.Outside, "secret"));
        File.CreateSymbolicLink(_tree.InRoot("link-out"), Path.Combine(_tree.Outside, "secret"));
        using var job = new FakeJobContext();

        var error = (await FluentActions.Awaiting(() => _service.Copy(job, _tree.Root + relative, _tree.InRoot("x")))
            .Should().ThrowAsync<ValidationException>()).Which;

        error.Errors[0].Attribute.Should().Be(attribute);
        error.Errno.Should().Be(Errno.EACCES);
        File.Exists(_tree.InRoot("x")).Should().BeFalse();
    }

    [Fact]
    public async Task Copy_DestinationOutsideTheRoots_IsEacces()
    {
        var source = _tree.WriteFile(_tree.InRoot("a"));
        using var job = new FakeJobContext();

        var error = (await FluentActions.Awaiting(() => _service.Copy(job, source, _tree.Outside + "/a"))
            .Should().ThrowAsync<ValidationException>()).Which;

        error.Errors[0].Attribute.Should().Be("filesystem_copy.dst");
        File.Exists(_tree.Outside + "/a").Should().BeFalse();
    }

    [Fact]
    public async Task Copy_Directory_IsEisdir()
    {
        Directory.CreateDirectory(_tree.InRoot("dir"));
        using var job = new FakeJobContext();

        (await FluentActions.Awaiting(() => _service.Copy(job, _tree.InRoot("dir"), _tree.InRoot("dir2")))
            .Should().ThrowAsync<ValidationException>()).Which.Errno.Should().Be(Errno.EISDIR);
    }
}
