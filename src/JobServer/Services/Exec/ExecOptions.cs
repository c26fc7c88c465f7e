namespace JobServer.Services.Exec;

/// <summary><c>exec</c> settings (<c>JobServer:Exec</c>).</summary>
internal sealed class ExecOptions
{
    public const string Section = "JobServer:Exec";

    /// <summary>
    /// Executables <c>exec.run</c> may start: absolute paths, or names looked up on PATH. Empty by default, so
    /// nothing runs until an administrator allows it.
    /// </summary>
    public List<string> Allowed { get; set; } = [];

    /// <summary>
    /// When not empty, the only variables <c>options.env</c> may set (names; a trailing <c>*</c> is a prefix), the
    /// built-in deny list included. Empty by default: every name but the deny list of
    /// <see cref="ExecEnvironmentPolicy"/> may be set.
    /// </summary>
    public List<string> AllowedEnvironment { get; set; } = [];
}
