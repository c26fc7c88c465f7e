using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Rest;

/// <summary>One daemon with both plugins for the REST tests, and a plain user and a reader to call as.</summary>
public sealed class RestDaemon : IAsyncLifetime
{
    public const string Password = "rest-password-for-tests";

    public Daemon Daemon { get; private set; } = null!;

    public RestClient Root => new(Daemon.BaseUri, Transfer.Basic("root", Daemon.RootPassword));

    public RestClient As(string user) => new(Daemon.BaseUri, Transfer.Basic(user, Password));

    public RestClient Anonymous => new(Daemon.BaseUri, null);

    public async Task InitializeAsync()
    {
        Daemon = await PluginDaemon.StartAsync();
        using var root = Root;
        foreach (var (user, roles) in new[] { ("rest-plain", Array.Empty<string>()), ("rest-reader", ["READONLY_ADMIN"]) })
        {
            using var created = await root.SendAsync(HttpMethod.Post, "/api/v2.0/user",
                new { username = user, password = Password, roles });
            created.EnsureSuccessStatusCode();
        }
    }

    public async Task DisposeAsync() => await Daemon.DisposeAsync();
}
