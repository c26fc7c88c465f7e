using JobServer.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.IntegrationTests.Support;

/// <summary>Accounts made straight in the daemon's store (no admin connection needed), and a client signed in as one.</summary>
public static class TestAccounts
{
    public const string Password = "user-password";

    /// <summary>Creates the account once (a class fixture's tests share the daemon), then signs a new client in.</summary>
    public static async Task<DdpClient> ConnectAsAccountAsync(this Daemon daemon, string username, params string[] roles)
    {
        var accounts = daemon.Services.GetRequiredService<AccountStore>();
        if (await accounts.FindAsync(username, CancellationToken.None) is null)
        {
            await accounts.CreateAsync(username, Password, username, roles, CancellationToken.None);
        }

        var client = await daemon.ConnectAsync();
        (await client.CallResultAsync("auth.login", username, Password)).GetBoolean().Should().BeTrue();
        return client;
    }
}
