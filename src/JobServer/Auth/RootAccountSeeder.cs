using JobServer.Sdk;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Auth;

/// <summary>
/// On first start (no account at all) creates <c>root</c> with the password from <c>JOBSERVER_ROOT_PASSWORD</c>,
/// or a random one printed once on the console (never logged). Once accounts exist the variable is ignored, and
/// the log says so: it is not a way to change a password (<c>reset-password</c> is, see docs/api.md).
/// </summary>
internal sealed partial class RootAccountSeeder(
    AccountStore accounts, OperatorConsole console, ILogger<RootAccountSeeder> logger)
{
    public const string PasswordVariable = "JOBSERVER_ROOT_PASSWORD";
    public const string RootUsername = "root";

    public async Task SeedAsync(string? configuredPassword, CancellationToken cancellationToken)
    {
        if (await accounts.AnyAsync(cancellationToken))
        {
            if (!string.IsNullOrEmpty(configuredPassword))
            {
                LogVariableIgnored(logger, PasswordVariable);
            }

            return;
        }

        var generated = string.IsNullOrEmpty(configuredPassword);
        var password = generated ? PasswordHasher.NewPassword() : configuredPassword!;
        try
        {
            await accounts.CreateAsync(RootUsername, password, "Administrator", [Role.FullAdmin], cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Nodes of a new cluster start together on one database: another one may have created root between
            // our look and our insert (the unique user name refused ours). Its password is the one that counts.
            if (!await accounts.AnyAsync(cancellationToken))
            {
                throw;
            }

            LogCreatedByAnotherNode(logger);
            return;
        }

        if (generated)
        {
            console.ShowSecretOnce("JobServer created the account root with this generated password.", password,
                "Sign in and change it (user.update). Lost it? Stop the daemon and run: JobServer reset-password root");
            LogGeneratedPassword(logger);
        }
        else
        {
            LogCreatedFromEnvironment(logger, PasswordVariable);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Created the account root with a generated password, printed once on the console (not logged)")]
    private static partial void LogGeneratedPassword(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "The account root was created by another daemon on the same database while this one started")]
    private static partial void LogCreatedByAnotherNode(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the account root with the password from {Variable}")]
    private static partial void LogCreatedFromEnvironment(ILogger logger, string variable);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Variable} is set but accounts already exist: it is ignored (it only sets root's password on the " +
                  "first start). To set a new password, stop the daemon and run: JobServer reset-password root")]
    private static partial void LogVariableIgnored(ILogger logger, string variable);
}
