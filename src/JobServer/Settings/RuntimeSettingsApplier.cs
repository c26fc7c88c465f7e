using JobServer.Configuration;
using Microsoft.Extensions.Options;
using Serilog.Core;
using Serilog.Events;

namespace JobServer.Settings;

/// <summary>Applies <c>system.general</c> changes to the running daemon, without a restart.</summary>
internal sealed partial class RuntimeSettingsApplier(
    LoggingLevelSwitch levelSwitch,
    IOptions<WebSocketLimits> limits,
    ILogger<RuntimeSettingsApplier> logger)
{
    public void Apply(GeneralConfig config)
    {
        if (Enum.TryParse<LogEventLevel>(config.LogLevel, ignoreCase: true, out var level))
        {
            levelSwitch.MinimumLevel = level;
        }

        // Connections read the limit object for every message they receive, and IOptions<T>.Value is one shared
        // instance for the life of the daemon, so setting it here moves the threshold for every live connection
        // at once, with no change to the protocol code (an int write is atomic; readers see it on their next
        // message).
        limits.Value.AnonymousMessageBytes = config.AnonymousMessageBytes;
        LogApplied(logger, config.LogLevel, config.AnonymousMessageBytes, config.AnonymousRateLimit);
    }

    public static LogEventLevel ParseLevel(string? text) =>
        Enum.TryParse<LogEventLevel>(text, ignoreCase: true, out var level) ? level : LogEventLevel.Information;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Applied system.general: log level {LogLevel}, anonymous messages up to {AnonymousMessageBytes} bytes, {RateLimit} anonymous calls per window")]
    private static partial void LogApplied(ILogger logger, string logLevel, int anonymousMessageBytes, int rateLimit);
}
