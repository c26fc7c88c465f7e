namespace JobServer.Settings;

/// <summary>
/// The current <c>system.general</c> settings for the rest of the daemon (job retention, rate limits...). Readers
/// take <see cref="Current"/> when they need it; components that must react subscribe to <see cref="Changed"/>.
/// </summary>
internal sealed class GeneralSettings(GeneralConfig defaults)
{
    private volatile GeneralConfig _current = defaults;

    /// <summary>The values the daemon started with, before anything stored was applied.</summary>
    public GeneralConfig Defaults { get; } = defaults;

    public GeneralConfig Current => _current;

    /// <summary>Raised after new settings are applied (on start with the stored ones, and on every update).</summary>
    public event Action<GeneralConfig>? Changed;

    public void Apply(GeneralConfig config)
    {
        _current = config;
        Changed?.Invoke(config);
    }
}
