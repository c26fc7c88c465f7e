using JobServer.Services.Filesystem;

namespace JobServer.Tests.Filesystem;

public sealed class LinuxStatxTests : IDisposable
{
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void TryLstat_FileOwnedByRoot_ReadsEveryFieldAtItsOffset()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var stat = LinuxStatx.TryLstat("/etc/passwd");

        stat.Should().NotBeNull();
        stat!.Uid.Should().Be(0);
        stat.Gid.Should().Be(0);
        UnixMode.TypeOf(stat.Mode).Should().Be(FileType.File);
        stat.Size.Should().Be(new FileInfo("/etc/passwd").Length);
        stat.Mtime.Should().Be(File.GetLastWriteTimeUtc("/etc/passwd"));
    }

    [Fact]
    public void TryLstat_Symlink_IsTheLinkItself()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        File.CreateSymbolicLink(_tree.InRoot("l"), "/etc/passwd");

        var stat = LinuxStatx.TryLstat(_tree.InRoot("l"));

        UnixMode.TypeOf(stat!.Mode).Should().Be(FileType.Symlink);
        stat.Size.Should().Be("/etc/passwd".Length);
    }

    [Fact]
    public void TryLstat_Missing_IsNull() => LinuxStatx.TryLstat(_tree.InRoot("missing")).Should().BeNull();
}
