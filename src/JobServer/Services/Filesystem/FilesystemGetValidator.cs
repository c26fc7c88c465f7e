using JobServer.Sdk;

namespace JobServer.Services.Filesystem;

/// <summary>Refuses a <c>filesystem.get</c> call bound to fail before its job is created (see <see cref="FilesystemPreflight"/>).</summary>
internal sealed class FilesystemGetValidator(FilesystemRoots roots) : ICallValidator
{
    private readonly FilesystemPreflight _preflight = new(roots);

    public void Validate(ICallContext caller, IReadOnlyList<object?> arguments) =>
        _ = _preflight.Get((string)arguments[0]!);
}
