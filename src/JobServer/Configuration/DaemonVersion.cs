using System.Reflection;

namespace JobServer.Configuration;

/// <summary>
/// The daemon's version: its assembly's informational version (<c>Version</c> in the project, with the source
/// revision the SDK appends, <c>1.0.0+3f2c…</c>). Said by <c>--version</c>, <c>GET /</c>, <c>core.version</c> and the
/// metrics' <c>target_info</c>.
/// </summary>
internal static class DaemonVersion
{
    public static string Current { get; } =
        typeof(DaemonVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(DaemonVersion).Assembly.GetName().Version?.ToString() ?? "0.0.0";
}
