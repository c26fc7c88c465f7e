using System.Globalization;
using JobServer.Auth;
using JobServer.Jobs.Storage;
using JobServer.Settings;
using JobServer.Storage;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace JobServer.Cluster;

/// <summary>
/// Keeps what each node caches of the shared configuration in step across a cluster (issue 18, PostgreSQL): a
/// <c>system.general.update</c> on one node makes every other node load the settings again, and an API key
/// changed or deleted on one node is forgotten by every other node's <see cref="VerifiedApiKeys"/> at once (and,
/// when it was revoked or deleted, the sessions it signed in there end), and an account deleted, locked, demoted,
/// renamed or given a new password on one node changes the sessions signed in as it on every node. One channel,
/// <see cref="ConfigChannel"/>; the payload names the change and the node it came from (its own are ignored).
/// After the listener lost its connection every node assumes it missed something: it loads the settings again and
/// forgets every cached key (the cache is only an optimisation).
/// </summary>
internal sealed partial class PeerConfigRelay(
    NpgsqlDataSource? database,
    ClusterNode node,
    GeneralSettings settings,
    GeneralSettingsStore store,
    VerifiedApiKeys keys,
    SignedInSessions signedIn,
    AccountSessions accountSessions,
    IDbContextFactory<JobServerDbContext> accounts,
    ILogger<PeerConfigRelay> logger) : IHostedService, IClusterNotificationHandler
{
    public const string ConfigChannel = "jobserver_config";

    private const string SettingsChange = "settings";
    private const string ApiKeyChange = "apikey";
    private const string AccountChanged = "account";

    // Loads one at a time, so two changes in a row are applied in the order they were read: the last one wins.
    private readonly SemaphoreSlim _loading = new(1, 1);
    private int _listened;

    public string Channel => ConfigChannel;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (database is not null)
        {
            settings.Updated += OnSettingsUpdated;
            keys.Forgotten += OnKeyForgotten;
            accountSessions.Applied += OnAccountChanged;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        settings.Updated -= OnSettingsUpdated;
        keys.Forgotten -= OnKeyForgotten;
        accountSessions.Applied -= OnAccountChanged;
        return Task.CompletedTask;
    }

    public void OnNotification(string payload)
    {
        var parts = payload.Split('\n', 3);
        if (parts.Length < 2 || parts[1] == node.Name)
        {
            return;
        }

        if (parts[0] == SettingsChange)
        {
            _ = LoadSettingsAsync();
        }
        else if (parts[0] == ApiKeyChange && parts.Length == 3 &&
                 long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var keyId))
        {
            _ = ForgetKeyAsync(keyId);
        }
        else if (parts[0] == AccountChanged && parts.Length == 3 && PeerAccountChange.Parse(parts[2]) is { } change)
        {
            _ = ApplyAccountChangeAsync(change);
        }
    }

    public void OnListening()
    {
        if (Interlocked.Exchange(ref _listened, 1) == 0)
        {
            return; // The first time: the daemon has just loaded everything itself.
        }

        keys.ForgetAll();
        _ = LoadSettingsAsync();
    }

    private void OnSettingsUpdated(GeneralConfig config) => _ = NotifyAsync($"{SettingsChange}\n{node.Name}");

    private void OnKeyForgotten(long keyId) =>
        _ = NotifyAsync(string.Create(CultureInfo.InvariantCulture, $"{ApiKeyChange}\n{node.Name}\n{keyId}"));

    private void OnAccountChanged(AccountChange change) =>
        _ = NotifyAsync($"{AccountChanged}\n{node.Name}\n{PeerAccountChange.Format(change)}");

    private async Task ApplyAccountChangeAsync(AccountChange change)
    {
        try
        {
            await accountSessions.ApplyFromPeerAsync(change);
        }
#pragma warning disable CA1031 // Logged; the sessions' next sign-in checks the account anyway.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogLoadFailed(logger, e);
        }
    }

    private async Task NotifyAsync(string payload)
    {
        try
        {
            await using var notify = database!.CreateCommand($"SELECT pg_notify('{ConfigChannel}', @payload)");
            notify.Parameters.AddWithValue("payload", payload);
            await notify.ExecuteNonQueryAsync();
        }
#pragma warning disable CA1031 // Logged: the change is saved; the other nodes see it at their cache's expiry or restart.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogNotifyFailed(logger, e, payload[..payload.IndexOf('\n', StringComparison.Ordinal)]);
        }
    }

    private async Task LoadSettingsAsync()
    {
        await _loading.WaitAsync();
        try
        {
            settings.Apply(await store.LoadAsync(CancellationToken.None));
            LogSettingsLoaded(logger);
        }
#pragma warning disable CA1031 // Logged; the next change or reconnect loads them again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogLoadFailed(logger, e);
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task ForgetKeyAsync(long keyId)
    {
        keys.ForgetHere(keyId);
        try
        {
            await using var db = await accounts.CreateDbContextAsync();
            var revoked = await db.ApiKeys.AsNoTracking().Where(k => k.Id == keyId)
                .Select(k => (bool?)k.Revoked).SingleOrDefaultAsync();
            if (revoked is null or true)
            {
                await signedIn.EndApiKeySessionsAsync(keyId);
            }
        }
#pragma warning disable CA1031 // Logged; the key itself is refused on its next use anyway.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogLoadFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Settings changed on another node: loaded them again")]
    private static partial void LogSettingsLoaded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telling the other nodes of a {Change} change failed")]
    private static partial void LogNotifyFailed(ILogger logger, Exception error, string change);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following a configuration change made on another node failed")]
    private static partial void LogLoadFailed(ILogger logger, Exception error);
}
