using JobServer.Auth;
using JobServer.Cluster;
using JobServer.Configuration;
using JobServer.Protocol.WebSockets;
using JobServer.Settings;
using JobServer.Storage.Providers;
using Microsoft.Extensions.Options;
using Npgsql;
using Serilog.Core;

namespace JobServer.Hosting;

/// <summary>
/// Accounts, tokens, API keys, sign-ins (the sign-in guard: throttle and hash queue), anonymous rate limits and the
/// run-time settings.
/// </summary>
internal static class AccountsServiceCollectionExtensions
{
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        // The one switch Serilog's minimum level follows, so system.general can change it while the daemon runs.
        services.AddSingleton(new LoggingLevelSwitch(
            RuntimeSettingsApplier.ParseLevel(configuration["Serilog:MinimumLevel:Default"] ??
                                              configuration["Serilog:MinimumLevel"])));
        services.AddSingleton(provider =>
        {
            var limits = provider.GetRequiredService<IOptions<WebSocketLimits>>().Value;
            var auth = provider.GetRequiredService<IOptions<AuthOptions>>().Value;
            var jobs = provider.GetRequiredService<IOptions<Jobs.JobsOptions>>().Value;
            return new GeneralSettings(new GeneralConfig
            {
                JobRetentionDays = jobs.RetentionDays,
                JobRetentionCount = jobs.RetentionCount,
                LogLevel = provider.GetRequiredService<LoggingLevelSwitch>().MinimumLevel.ToString(),
                AnonymousMessageBytes = limits.AnonymousMessageBytes,
                AnonymousRateLimit = auth.AnonymousRateLimit,
                AnonymousRateWindowSeconds = auth.AnonymousRateWindowSeconds,
            });
        });
        services.AddSingleton<GeneralSettingsStore>();
        services.AddSingleton<RuntimeSettingsApplier>();
        services.AddHostedService<GeneralSettingsLoader>();

        services.AddSingleton<TokenStore>();
        // One daemon keeps its tokens in memory; the nodes of a cluster share theirs in the database.
        services.AddSingleton<ITokenStore>(provider => provider.GetRequiredService<JobServerDatabase>().IsPostgreSql
            ? new PostgresTokenStore(provider.GetRequiredService<NpgsqlDataSource>(),
                provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<PostgresTokenStore>>())
            : provider.GetRequiredService<TokenStore>());
        services.AddSingleton<VerifiedApiKeys>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<SignedInSessions>();
        services.AddSingleton<AccountSessions>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<PasswordHashQueue>();
        services.AddSingleton<SignInGuard>();
        services.AddSingleton<AnonymousRateLimiter>();
        services.AddSingleton<CallAdmission>();
        services.AddSingleton<FailedLogins>();
        return services;
    }
}
