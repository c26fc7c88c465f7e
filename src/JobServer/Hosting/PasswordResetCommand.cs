using JobServer.Auth;
using JobServer.Storage;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Hosting;

/// <summary>
/// <c>JobServer reset-password &lt;username&gt; [--data-dir DIR] [--password-stdin]</c>: recovery at the host
/// for a lost password (before, a lost generated root password meant deleting the database). Acts on the data
/// directory while no daemon runs on it — it takes the same lock, so it refuses while one does — sets the new
/// password (the first line of stdin with <c>--password-stdin</c>, else <c>JOBSERVER_ROOT_PASSWORD</c>, else a
/// generated one printed once), unlocks the account, and exits without starting the server. Reads the same
/// configuration as the daemon (files, environment, <c>--Section:Key</c>), so it finds the same database.
/// </summary>
internal static class PasswordResetCommand
{
    public const string Verb = "reset-password";
    private const string PasswordFromStdin = "--password-stdin";

    /// <summary>Runs the verb; returns the process exit code (0 done, 1 refused or failed, 2 bad usage).</summary>
    /// <param name="args">The arguments after the verb.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, TextReader input,
        CancellationToken cancellationToken = default)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            await errors.WriteLineAsync($"Usage: JobServer {Verb} <username> [--data-dir DIR] [{PasswordFromStdin}]");
            return 2;
        }

        var username = args[0];
        var fromStdin = args.Contains(PasswordFromStdin, StringComparer.Ordinal);
        var configurationArgs = args.Skip(1).Where(arg => arg != PasswordFromStdin).ToArray();
        var builder = JobServerHost.CreateBuilder(configurationArgs);
        var dataDir = JobServerHost.DataDirOf(builder.Configuration);
        var database = Path.Combine(dataDir, "jobserver.db");
        if (!File.Exists(database))
        {
            await errors.WriteLineAsync($"There is no database at {database}: is --data-dir right?");
            return 1;
        }

        DataDirectoryLock dataDirectoryLock;
        try
        {
            dataDirectoryLock = DataDirectory.Open(dataDir);
        }
        catch (DataDirectoryInUseException e)
        {
            await errors.WriteLineAsync(e.Message);
            return 1;
        }

        using (dataDirectoryLock)
        {
            await using var app = builder.Build();
            // A newer build may find an older schema; the daemon would migrate it at its next start anyway.
            await DatabaseInitializer.MigrateAsync(
                app.Services.GetRequiredService<IDbContextFactory<JobServerDbContext>>(), cancellationToken);
            var given = fromStdin
                ? await input.ReadLineAsync(cancellationToken)
                : builder.Configuration[RootAccountSeeder.PasswordVariable];
            if (fromStdin && string.IsNullOrEmpty(given))
            {
                await errors.WriteLineAsync("No password on the first line of stdin");
                return 2;
            }

            var password = string.IsNullOrEmpty(given) ? PasswordHasher.NewPassword() : given;
            var account = await app.Services.GetRequiredService<AccountStore>()
                .ResetPasswordAsync(username, password, cancellationToken);
            if (account is null)
            {
                await errors.WriteLineAsync($"There is no account {username} in {database}");
                return 1;
            }

            var console = new OperatorConsole(output);
            if (string.IsNullOrEmpty(given))
            {
                console.ShowSecretOnce($"The password of {username} is reset to this generated password.", password,
                    "Sign in with it and change it (user.update).");
            }

            console.WriteLine($"{username}: new password set, account unlocked (roles: {string.Join(", ", account.RoleSet)}).");
            return 0;
        }
    }
}
