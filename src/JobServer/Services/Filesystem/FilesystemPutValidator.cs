using JobServer.Sdk;

namespace JobServer.Services.Filesystem;

/// <summary>Refuses a <c>filesystem.put</c> call bound to fail before its job is created (see <see cref="FilesystemPreflight"/>).</summary>
internal sealed class FilesystemPutValidator(FilesystemRoots roots) : ICallValidator
{
    private readonly FilesystemPreflight _preflight = new(roots);

    public void Validate(ICallContext caller, IReadOnlyList<object?> arguments) =>
        _ = _preflight.Put((string)arguments[0]!, arguments[1] as PutOptions ?? new PutOptions());
}
