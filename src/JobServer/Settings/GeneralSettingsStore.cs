using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Sdk;
using JobServer.Storage;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Settings;

/// <summary>Reads and writes the <c>system.general</c> row of the settings table.</summary>
internal sealed partial class GeneralSettingsStore(
    IDbContextFactory<JobServerDbContext> databases,
    GeneralSettings settings,
    ILogger<GeneralSettingsStore> logger)
{
    public const string Key = "system.general";

    /// <summary>
    /// The stored settings laid over the defaults: a key added in a later version keeps its default, an unknown or
    /// unreadable stored value is ignored (and logged) rather than stopping the daemon.
    /// </summary>
    public async Task<GeneralConfig> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var row = await db.Settings.AsNoTracking().SingleOrDefaultAsync(s => s.Key == Key, cancellationToken);
        if (row is null)
        {
            return settings.Defaults;
        }

        try
        {
            var merged = JsonSerializer.SerializeToNode(settings.Defaults, WireJson.Options)!.AsObject();
            if (JsonNode.Parse(row.Value) is JsonObject stored)
            {
                foreach (var (name, value) in stored)
                {
                    if (merged.ContainsKey(name))
                    {
                        merged[name] = value?.DeepClone();
                    }
                }
            }

            return merged.Deserialize<GeneralConfig>(WireJson.Options) ?? settings.Defaults;
        }
        catch (JsonException e)
        {
            LogUnreadable(logger, e, Key);
            return settings.Defaults;
        }
    }

    public async Task SaveAsync(GeneralConfig config, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(config, WireJson.Options);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var row = await db.Settings.SingleOrDefaultAsync(s => s.Key == Key, cancellationToken);
        if (row is null)
        {
            db.Settings.Add(new Setting { Key = Key, Value = json });
        }
        else
        {
            row.Value = json;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The stored setting {Key} is unreadable; using the defaults")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string key);
}
