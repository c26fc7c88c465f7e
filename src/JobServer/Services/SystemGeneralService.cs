using System.ComponentModel;
using JobServer.Configuration;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Settings;
using Microsoft.Extensions.Options;
using Serilog.Events;

namespace JobServer.Services;

/// <summary>
/// <c>system.general</c>: the daemon's settings that can change while it runs (job retention, log level,
/// anonymous limits). Stored in the settings table and applied at once, without a restart.
/// </summary>
[Namespace("system.general")]
internal sealed class SystemGeneralService(
    GeneralSettings settings,
    GeneralSettingsStore store,
    IOptions<WebSocketLimits> limits) : ConfigService<GeneralConfig>
{
    private const string Prefix = "system_general_update";

    /// <summary>Below this an anonymous client could not even send a login.</summary>
    private const int MinAnonymousMessageBytes = 1024;

    [Description("The settings: job_retention_days, job_retention_count, log_level, anonymous_message_bytes, " +
                 "anonymous_rate_limit, anonymous_rate_window_seconds.")]
    public override ValueTask<GeneralConfig> Config(CancellationToken cancellationToken = default) =>
        base.Config(cancellationToken);

    [Description("Changes the given settings; they apply at once and survive a restart.")]
    public override async ValueTask<GeneralConfig> Update(
        System.Text.Json.Nodes.JsonObject data, CancellationToken cancellationToken = default)
    {
        await base.Update(data, cancellationToken);
        return settings.Current; // as saved: the level name made canonical
    }

    protected override ValueTask<GeneralConfig> LoadAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(settings.Current);

    protected override async ValueTask SaveAsync(GeneralConfig config, CancellationToken cancellationToken)
    {
        // Stored with the canonical level name, so the stored document reads the same as config() answers.
        var level = Enum.Parse<LogEventLevel>(config.LogLevel, ignoreCase: true);
        config = config with { LogLevel = level.ToString() };
        await store.SaveAsync(config, cancellationToken);
        settings.Update(config);
    }

    protected override void Validate(GeneralConfig config, List<ValidationError> errors)
    {
        if (config.JobRetentionDays < 0)
        {
            errors.Add(new ValidationError($"{Prefix}.job_retention_days", "Must be 0 or more"));
        }

        if (config.JobRetentionCount < 0)
        {
            errors.Add(new ValidationError($"{Prefix}.job_retention_count", "Must be 0 or more"));
        }

        if (!Enum.TryParse<LogEventLevel>(config.LogLevel, ignoreCase: true, out var level) ||
            !Enum.IsDefined(level) || int.TryParse(config.LogLevel, out _))
        {
            errors.Add(new ValidationError($"{Prefix}.log_level",
                $"One of {string.Join(", ", Enum.GetNames<LogEventLevel>())}"));
        }

        var maxAnonymous = limits.Value.AuthenticatedMessageBytes;
        if (config.AnonymousMessageBytes < MinAnonymousMessageBytes || config.AnonymousMessageBytes > maxAnonymous)
        {
            errors.Add(new ValidationError($"{Prefix}.anonymous_message_bytes",
                $"Must be between {MinAnonymousMessageBytes} and the authenticated limit, {maxAnonymous}"));
        }

        if (config.AnonymousRateLimit < 0)
        {
            errors.Add(new ValidationError($"{Prefix}.anonymous_rate_limit", "Must be 0 (no limit) or more"));
        }

        if (config.AnonymousRateWindowSeconds is < 1 or > 86_400)
        {
            errors.Add(new ValidationError($"{Prefix}.anonymous_rate_window_seconds", "Must be between 1 and 86400"));
        }
    }
}
