using System.Security.Cryptography;
using JobServer.Sdk;

namespace JobServer.Auth;

/// <summary>
/// On first start (no account at all) creates <c>root</c> with the password from
/// <c>JOBSERVER_ROOT_PASSWORD</c>, or a random one printed once in the log.
/// </summary>
internal sealed partial class RootAccountSeeder(AccountStore accounts, ILogger<RootAccountSeeder> logger)
{
    public const string PasswordVariable = "JOBSERVER_ROOT_PASSWORD";

    public async Task SeedAsync(string? configuredPassword, CancellationToken cancellationToken)
    {
        if (await accounts.AnyAsync(cancellationToken))
        {
            return;
        }

        var password = string.IsNullOrEmpty(configuredPassword)
            ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('/', '_').Replace('+', '-')
            : configuredPassword;
        await accounts.CreateAsync("root", password, "Administrator", [Role.FullAdmin], cancellationToken);
        if (string.IsNullOrEmpty(configuredPassword))
        {
            LogGeneratedPassword(logger, password);
        }
        else
        {
            LogCreatedFromEnvironment(logger, PasswordVariable);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Created the account root with the generated password {Password} (shown only this once)")]
    private static partial void LogGeneratedPassword(ILogger logger, string password);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the account root with the password from {Variable}")]
    private static partial void LogCreatedFromEnvironment(ILogger logger, string variable);
}
