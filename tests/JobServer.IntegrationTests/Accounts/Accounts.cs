using System.Text.Json;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Accounts;

/// <summary>Account helpers for the tests of this folder: create users over DDP and sign in as them.</summary>
internal static class Accounts
{
    public const string Password = "a-password-for-tests";

    /// <summary>Creates a user through <c>user.create</c> (as the given admin client) and returns the entry.</summary>
    public static async Task<JsonElement> CreateUserAsync(this DdpClient admin, string username,
        string[]? roles = null, string fullName = "", bool locked = false, string password = Password) =>
        await admin.CallResultAsync("user.create", new
        {
            username,
            password,
            full_name = fullName,
            roles = roles ?? [],
            locked,
        });

    /// <summary>A DDP client signed in with a password.</summary>
    public static async Task<DdpClient> ConnectAsAsync(this Daemon daemon, string username, string password = Password)
    {
        var client = await daemon.ConnectAsync();
        (await client.CallResultAsync("auth.login", username, password)).GetBoolean().Should().BeTrue();
        return client;
    }

    /// <summary>The usernames of a <c>query</c> result, in order.</summary>
    public static string[] Usernames(this JsonElement rows) =>
        rows.EnumerateArray().Select(row => row.GetProperty("username").GetString()!).ToArray();

    public static int Errno(this JsonElement error) => error.GetProperty("error").GetInt32();

    public static string? Reason(this JsonElement error) => error.GetProperty("reason").GetString();
}
