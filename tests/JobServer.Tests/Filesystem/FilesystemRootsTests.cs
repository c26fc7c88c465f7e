using JobServer.Sdk.Errors;
using JobServer.Services.Filesystem;

namespace JobServer.Tests.Filesystem;

public sealed class FilesystemRootsTests : IDisposable
{
    private const string Attribute = "filesystem_stat.path";
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private FilesystemRoots Roots => TempTree.RootsOf(_tree.Root);

    private static void ShouldRefuse(Action resolve, int errno, string because = "")
    {
        var error = resolve.Should().Throw<ValidationException>(because).Which;
        error.Errors.Should().ContainSingle().Which.Should().BeEquivalentTo(
            new { Attribute, Errno = errno }, options => options.ExcludingMissingMembers());
    }

    [Fact]
    public void Resolve_FileInsideRoot_ReturnsItsRealPath()
    {
        var file = _tree.WriteFile(_tree.InRoot("a/b.txt"));

        var resolved = Roots.Resolve(file, Attribute);

        resolved.Real.Should().Be(file);
        resolved.Entry.Should().Be(file);
        resolved.Name.Should().Be("b.txt");
    }

    [Fact]
    public void Resolve_TheRootItself_IsAllowed() =>
        Roots.Resolve(_tree.Root + "/", Attribute).Real.Should().Be(_tree.Root);

    [Fact]
    public void Resolve_NoRootsConfigured_RefusesWithEacces()
    {
        var roots = TempTree.RootsOf();

        var error = FluentActions.Invoking(() => roots.Resolve(_tree.Root, Attribute))
            .Should().Throw<ValidationException>().Which;

        error.Errno.Should().Be(Errno.EACCES);
        error.Message.Should().Contain("No filesystem roots are configured");
        error.Errors[0].Attribute.Should().Be(Attribute);
    }

    [Theory]
    [InlineData("relative/path")]
    [InlineData("./x")]
    [InlineData("")]
    public void Resolve_RelativePath_RefusesWithEinval(string path) =>
        ShouldRefuse(() => Roots.Resolve(path, Attribute), Errno.EINVAL);

    [Fact]
    public void Resolve_DotDotOutOfTheRoot_RefusesWithEacces() =>
        ShouldRefuse(() => Roots.Resolve(_tree.Root + "/../outside/x", Attribute), Errno.EACCES);

    [Fact]
    public void Resolve_DotDotPastAMissingDirectory_RefusesWithEacces() =>
        ShouldRefuse(() => Roots.Resolve(_tree.Root + "/missing/../../outside", Attribute), Errno.EACCES);

    [Fact]
    public void Resolve_DotDotStayingInside_IsAllowed()
    {
        Directory.CreateDirectory(_tree.InRoot("a"));

        Roots.Resolve(_tree.Root + "/a/../b//./c/", Attribute).Real.Should().Be(_tree.InRoot("b/c"));
    }

    [Fact]
    public void Resolve_PathElsewhere_RefusesWithEacces()
    {
        ShouldRefuse(() => Roots.Resolve(_tree.Outside, Attribute), Errno.EACCES);
        ShouldRefuse(() => Roots.Resolve("/etc/passwd", Attribute), Errno.EACCES);
    }

    [Fact]
    public void Resolve_SiblingSharingTheRootsPrefix_RefusesWithEacces()
    {
        var sibling = Directory.CreateDirectory(_tree.Root + "b").FullName; // <base>/rootb next to <base>/root

        ShouldRefuse(() => Roots.Resolve(sibling + "/file", Attribute), Errno.EACCES);
    }

    [Fact]
    public void Resolve_SymlinkPointingOutside_RefusesWithEacces()
    {
        var target = _tree.WriteFile(Path.Combine(_tree.Outside, "secret"));
        File.CreateSymbolicLink(_tree.InRoot("link"), target);

        ShouldRefuse(() => Roots.Resolve(_tree.InRoot("link"), Attribute), Errno.EACCES);
    }

    [Fact]
    public void Resolve_DanglingSymlinkPointingOutside_RefusesWithEacces()
    {
        File.CreateSymbolicLink(_tree.InRoot("dangling"), Path.Combine(_tree.Outside, "not-yet"));

        ShouldRefuse(() => Roots.Resolve(_tree.InRoot("dangling"), Attribute), Errno.EACCES);
    }

    [Fact]
    public void Resolve_RelativeSymlinkClimbingOut_RefusesWithEacces()
    {
        File.CreateSymbolicLink(_tree.InRoot("up"), "../outside");

        ShouldRefuse(() => Roots.Resolve(_tree.InRoot("up/anything"), Attribute), Errno.EACCES);
    }

    [Fact]
    public void Resolve_DotDotAfterADirectoryLinkOutside_FollowsTheLinkFirstAndRefuses()
    {
        // root/out -> outside/deep; root/out/../x is outside/x for the kernel, not root/x as a lexical join says.
        Directory.CreateDirectory(Path.Combine(_tree.Outside, "deep"));
        Directory.CreateSymbolicLink(_tree.InRoot("out"), Path.Combine(_tree.Outside, "deep"));

        ShouldRefuse(() => Roots.Resolve(_tree.InRoot("out/../x"), Attribute), Errno.EACCES);
    }

    [Fact]
    public void Resolve_SymlinkInsideTheRoot_KeepsTheEntryAndResolvesTheTarget()
    {
        var target = _tree.WriteFile(_tree.InRoot("data/real.txt"));
        Directory.CreateSymbolicLink(_tree.InRoot("alias"), "data");

        var resolved = Roots.Resolve(_tree.InRoot("alias/real.txt"), Attribute);
        var link = Roots.Resolve(_tree.InRoot("alias"), Attribute);

        resolved.Real.Should().Be(target);
        link.Entry.Should().Be(_tree.InRoot("alias"));
        link.Real.Should().Be(_tree.InRoot("data"));
    }

    [Fact]
    public void Resolve_LinkOutsidePointingIntoTheRoot_RefusesWithEacces()
    {
        var target = _tree.WriteFile(_tree.InRoot("in.txt"));
        File.CreateSymbolicLink(Path.Combine(_tree.Outside, "in-link"), target);

        ShouldRefuse(() => Roots.Resolve(Path.Combine(_tree.Outside, "in-link"), Attribute), Errno.EACCES);
    }

    [Fact]
    public void Resolve_RootThatIsASymlink_AcceptsBothSpellingsAndResolvesToTheTarget()
    {
        var file = _tree.WriteFile(_tree.InRoot("f.txt"));
        var rootLink = Path.Combine(_tree.Base, "root-link");
        Directory.CreateSymbolicLink(rootLink, _tree.Root);
        var roots = TempTree.RootsOf(rootLink);

        roots.Resolve(rootLink + "/f.txt", Attribute).Real.Should().Be(file);
        roots.Resolve(file, Attribute).Real.Should().Be(file);
        ShouldRefuse(() => roots.Resolve(_tree.Outside, Attribute), Errno.EACCES);
    }

    [Fact]
    public void Resolve_MissingFileInsideTheRoot_IsAllowed() =>
        Roots.Resolve(_tree.InRoot("new/deeper/file"), Attribute).Real.Should().Be(_tree.InRoot("new/deeper/file"));

    [Fact]
    public void Resolve_SymlinkLoop_RefusesWithEinval()
    {
        File.CreateSymbolicLink(_tree.InRoot("a"), "b");
        File.CreateSymbolicLink(_tree.InRoot("b"), "a");

        ShouldRefuse(() => Roots.Resolve(_tree.InRoot("a"), Attribute), Errno.EINVAL);
    }

    [Fact]
    public void Resolve_SeveralRoots_AcceptsEitherAndNothingBetween()
    {
        var second = Directory.CreateDirectory(Path.Combine(_tree.Base, "second")).FullName;
        var roots = TempTree.RootsOf(_tree.Root, second);

        roots.Resolve(second + "/x", Attribute).Real.Should().Be(second + "/x");
        roots.Resolve(_tree.InRoot("x"), Attribute).Real.Should().Be(_tree.InRoot("x"));
        ShouldRefuse(() => roots.Resolve(_tree.Base, Attribute), Errno.EACCES);
    }

    [Theory]
    [InlineData("/a/b", "/a", true)]
    [InlineData("/a", "/a", true)]
    [InlineData("/ab", "/a", false)]
    [InlineData("/a", "/a/b", false)]
    [InlineData("/anything", "/", true)]
    public void IsWithin_ComparesWholeComponents(string path, string root, bool expected) =>
        RealPath.IsWithin(path, root).Should().Be(expected);
}
