using JobServer.Sdk.Errors;
using JobServer.Services.Filesystem;

namespace JobServer.Tests.Filesystem;

/// <summary>The call-time checks of the filesystem jobs: a call certain to fail never becomes a job.</summary>
public sealed class FilesystemValidatorTests : IDisposable
{
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private static int ErrnoOf(Action validate) =>
        validate.Should().Throw<ValidationException>().Which.Errno;

    [Fact]
    public void Copy_FileIntoAnExistingDirectory_IsAccepted()
    {
        var source = _tree.WriteFile(_tree.InRoot("a.txt"));
        var validator = new FilesystemCopyValidator(TempTree.RootsOf(_tree.Root));

        validator.Validate(null!, [source, _tree.InRoot("b.txt"), null]);
    }

    [Fact]
    public void Copy_BadPaths_AreRefusedWithTheirErrno()
    {
        var source = _tree.WriteFile(_tree.InRoot("a.txt"));
        var existing = _tree.WriteFile(_tree.InRoot("b.txt"));
        var validator = new FilesystemCopyValidator(TempTree.RootsOf(_tree.Root));

        ErrnoOf(() => validator.Validate(null!, [source, Path.Combine(_tree.Outside, "x"), null])).Should().Be(13);
        ErrnoOf(() => validator.Validate(null!, [_tree.InRoot("missing"), _tree.InRoot("c"), null])).Should().Be(2);
        ErrnoOf(() => validator.Validate(null!, [source, _tree.InRoot("no/dir/c"), null])).Should().Be(2);
        ErrnoOf(() => validator.Validate(null!, [source, existing, null])).Should().Be(17);
        validator.Validate(null!, [source, existing, new CopyOptions(Overwrite: true)]);
    }

    [Fact]
    public void Put_OutsideOrWithoutParentOrBadMode_IsRefused()
    {
        var validator = new FilesystemPutValidator(TempTree.RootsOf(_tree.Root));

        ErrnoOf(() => validator.Validate(null!, [Path.Combine(_tree.Outside, "x"), null])).Should().Be(13);
        ErrnoOf(() => validator.Validate(null!, [_tree.InRoot("no/dir/x"), null])).Should().Be(2);
        ErrnoOf(() => validator.Validate(null!, [_tree.InRoot("x"), new PutOptions(Mode: "999")])).Should().Be(22);
        validator.Validate(null!, [_tree.InRoot("x"), null]);
    }

    [Fact]
    public void Get_MissingOrDirectory_IsRefused()
    {
        var validator = new FilesystemGetValidator(TempTree.RootsOf(_tree.Root));

        ErrnoOf(() => validator.Validate(null!, [_tree.InRoot("missing")])).Should().Be(2);
        ErrnoOf(() => validator.Validate(null!, [_tree.Root])).Should().Be(21);
        validator.Validate(null!, [_tree.WriteFile(_tree.InRoot("f"))]);
    }

    [Fact]
    public void AnyMethod_NoRootsConfigured_IsEacces()
    {
        var validator = new FilesystemGetValidator(TempTree.RootsOf());

        ErrnoOf(() => validator.Validate(null!, ["/etc/hostname"])).Should().Be(13);
    }
}
