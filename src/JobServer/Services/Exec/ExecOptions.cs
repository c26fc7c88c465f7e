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
}
