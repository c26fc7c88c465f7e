using System.Collections;
using System.Globalization;
using System.Reflection;
using JobServer.Audit;
using JobServer.Auth;
using JobServer.Configuration;
using JobServer.Jobs;
using JobServer.Observability.Health;
using JobServer.Observability.Metrics;
using JobServer.Services.Exec;
using JobServer.Services.Filesystem;
using JobServer.Transfers;

namespace JobServer.Hosting;

/// <summary>
/// Every setting the daemon binds, with its default, read from the options classes themselves (so the list in
/// <c>--help</c> cannot fall behind them): one line per key, <c>JobServer:Jobs:MaxRunning = 0</c>.
/// </summary>
internal static class SettingsListing
{
    private static readonly (string Section, Type Options)[] Sections =
    [
        (JobServerOptions.Section, typeof(JobServerOptions)),
        (WebSocketLimits.Section, typeof(WebSocketLimits)),
        (AuthOptions.Section, typeof(AuthOptions)),
        (JobsOptions.Section, typeof(JobsOptions)),
        (TransferOptions.Section, typeof(TransferOptions)),
        (ExecOptions.Section, typeof(ExecOptions)),
        (FilesystemOptions.Section, typeof(FilesystemOptions)),
        (HealthOptions.Section, typeof(HealthOptions)),
        (MetricsOptions.Section, typeof(MetricsOptions)),
        (AuditOptions.Section, typeof(AuditOptions)),
    ];

    public static IEnumerable<string> Lines()
    {
        foreach (var (section, type) in Sections)
        {
            var defaults = Activator.CreateInstance(type, nonPublic: true);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                         .Where(p => p.GetIndexParameters().Length == 0 && IsSetting(p)))
            {
                yield return $"{section}:{property.Name} = {Describe(property.GetValue(defaults))}";
            }
        }
    }

    /// <summary>What the binder fills: writable scalars, and collections it adds to.</summary>
    private static bool IsSetting(PropertyInfo property) =>
        (property.CanWrite && property.SetMethod!.IsPublic) ||
        (typeof(IEnumerable).IsAssignableFrom(property.PropertyType) && property.PropertyType != typeof(string));

    private static string Describe(object? value) => value switch
    {
        null => "(none)",
        string text => text.Length == 0 ? "(empty)" : text,
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => $"[{string.Join(", ", items.Cast<object?>())}]",
        _ => value.ToString() ?? "",
    };
}
