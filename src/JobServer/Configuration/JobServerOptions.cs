namespace JobServer.Configuration;

/// <summary>The daemon's own settings (<c>JobServer</c> section; <c>--data-dir</c> sets <c>DataDir</c>).</summary>
internal sealed class JobServerOptions
{
    public const string Section = "JobServer";

    /// <summary>Where everything the daemon writes lives: database, job logs, spool files, plugins.</summary>
    public string DataDir { get; set; } = "data";

    /// <summary>An extra folder of plugin assemblies besides <c>&lt;data-dir&gt;/plugins</c>.</summary>
    public string? PluginDirectory { get; set; }

    /// <summary>
    /// Browser origins besides the daemon's own that may open its WebSockets (<c>https://nas.example.com:8443</c>);
    /// see <see cref="Protocol.WebSockets.OriginCheck"/>.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = new List<string>();

    public string DataPath(params string[] parts) => Path.Combine([Path.GetFullPath(DataDir), .. parts]);
}
