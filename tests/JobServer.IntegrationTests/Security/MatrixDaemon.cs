using JobServer.IntegrationTests.Support;
using JobServer.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.IntegrationTests.Security;

/// <summary>
/// A daemon with every service there is to test (built-ins, the test plugin, the example plugin) and an account
/// for each identity of the matrix.
/// </summary>
public sealed class MatrixDaemon : IAsyncLifetime
{
    public Daemon Daemon { get; private set; } = null!;

    internal MethodRegistry Registry => Daemon.Services.GetRequiredService<MethodRegistry>();

    internal IReadOnlyList<MethodDescriptor> Methods =>
        Registry.Methods.OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();

    public async Task InitializeAsync()
    {
        Daemon = await PluginDaemon.StartAsync();
        await using var root = await Daemon.ConnectAsRootAsync();
        var agentKey = await root.CallResultAsync("api_key.create", new { name = "matrix-agent", roles = Identity.BatchAgent.Roles });
        Identity.BatchAgent.ApiKey = agentKey.GetProperty("key").GetString();
        foreach (var identity in Identity.All.Where(i => i.IsSignedIn && i.Username != "root"))
        {
            await root.CallResultAsync("user.create", new
            {
                username = identity.Username,
                password = identity.Password,
                full_name = identity.Name,
                roles = identity.Roles,
            });
        }
    }

    public async Task DisposeAsync() => await Daemon.DisposeAsync();
}
