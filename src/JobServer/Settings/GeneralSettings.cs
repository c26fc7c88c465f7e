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

    /// <summary>
    /// Raised by <see cref="Update"/>: settings changed and saved here, so the other nodes of a cluster must load
    /// them too (<c>Cluster/PeerConfigRelay</c>).
    /// </summary>
    public event Action<GeneralConfig>? Updated;

    /// <summary>Applies settings as loaded (at start, after a restore, after another node changed them).</summary>
    public void Apply(GeneralConfig config)
    {
        _current = config;
        Changed?.Invoke(config);
    }

    /// <summary>Applies settings this daemon changed and saved (<c>system.general.update</c>).</summary>
    public void Update(GeneralConfig config)
    {
        Apply(config);
        Updated?.Invoke(config);
    }
}
