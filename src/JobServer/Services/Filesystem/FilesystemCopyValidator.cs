using JobServer.Sdk;

namespace JobServer.Services.Filesystem;

/// <summary>Refuses a <c>filesystem.copy</c> call bound to fail before its job is created (see <see cref="FilesystemPreflight"/>).</summary>
internal sealed class FilesystemCopyValidator(FilesystemRoots roots) : ICallValidator
{
    private readonly FilesystemPreflight _preflight = new(roots);

    public void Validate(ICallContext caller, IReadOnlyList<object?> arguments) =>
        _ = _preflight.Copy(
            (string)arguments[0]!, (string)arguments[1]!, (arguments[2] as CopyOptions)?.Overwrite ?? false);
}
