namespace JobServer.Services.Filesystem;

/// <summary><c>filesystem</c> settings (<c>JobServer:Filesystem</c>).</summary>
internal sealed class FilesystemOptions
{
    public const string Section = "JobServer:Filesystem";

    /// <summary>
    /// Absolute directories the <c>filesystem</c> methods may touch. Empty by default, so every method refuses until
    /// an administrator names at least one root.
    /// </summary>
    public List<string> Roots { get; set; } = [];
}
