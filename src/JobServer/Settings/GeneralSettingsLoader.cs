namespace JobServer.Settings;

/// <summary>
/// Applies the stored <c>system.general</c> settings when the daemon starts (after the database is migrated,
/// before connections are accepted), and every later change as it is made.
/// </summary>
internal sealed class GeneralSettingsLoader(
    GeneralSettings settings,
    GeneralSettingsStore store,
    RuntimeSettingsApplier applier) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        settings.Changed += applier.Apply;
        settings.Apply(await store.LoadAsync(cancellationToken));
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        settings.Changed -= applier.Apply;
        return Task.CompletedTask;
    }
}
