using JobServer.Hosting;
using JobServer.Probes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.IntegrationTests.Support;

/// <summary>
/// A real daemon on a free loopback port (real Kestrel) with its own temporary data directory and SQLite file, or
/// its own PostgreSQL database when <c>JOBSERVER_TEST_POSTGRES</c> is set (<see cref="TestDatabases"/>).
/// </summary>
public sealed class Daemon : IAsyncDisposable
{
    public const string RootPassword = ProbeCredentials.RootPassword;

    private WebApplication? _app;

    private readonly bool _ownsDataDir;

    private Daemon(string dataDir, bool ownsDataDir)
    {
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
    }

    public string DataDir { get; }

    public Uri BaseUri { get; private set; } = null!;

    public Uri WebSocketUri => new(BaseUri, "/websocket");

    internal IServiceProvider Services => _app!.Services;

    /// <summary>Starts a daemon; <paramref name="prepare"/> may put files (plugins) into the data dir first.</summary>
    /// <param name="time">The daemon's clock instead of the system's (a FakeTimeProvider).</param>
    /// <param name="dataDir">An existing data dir to reuse (a restart); the caller deletes it. Default: a new one.</param>
    public static async Task<Daemon> StartAsync(IEnumerable<string>? extraArgs = null, Action<string>? prepare = null,
        TimeProvider? time = null, string? dataDir = null)
    {
        var ownsDataDir = dataDir is null;
        dataDir ??= Path.Combine(Path.GetTempPath(), "jobserver-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        prepare?.Invoke(dataDir);
        var daemon = new Daemon(dataDir, ownsDataDir);
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--data-dir", dataDir,
            .. TestDatabases.ArgumentsFor(dataDir),
            $"--JOBSERVER_ROOT_PASSWORD={RootPassword}",
            "--JobServer:Auth:PasswordIterations=10000",
            "--JobServer:Auth:FailedLoginDelayMilliseconds=300",
            "--Serilog:MinimumLevel:Default=Warning",
            // Every test signs in from 127.0.0.1; a class fixture's tests would soon pass middlewared's 20
            // anonymous calls per minute. The rate-limit tests ask for the real limit.
            "--JobServer:Auth:AnonymousRateLimit=100000",
            // Likewise the sign-in back-off: the deliberate wrong passwords of a class's tests (root's, all from
            // 127.0.0.1) would soon make root and the address back off. SignInGuardTests ask for the defaults.
            "--JobServer:Auth:AccountFailuresBeforeBackoff=100000",
            "--JobServer:Auth:AddressFailuresBeforeBackoff=100000",
            // A stop aborts running jobs at once: the suite's many stops must not wait for their jobs.
            "--JobServer:Jobs:ShutdownGraceSeconds=0",
            // No warm worker processes: the suite's many daemons with the test plugin would each start two. The
            // worker tests ask for a pool.
            "--JobServer:Workers:PoolSize=0",
            .. extraArgs ?? [],
        ];
        daemon._app = await JobServerHost.CreateAsync(args, services =>
        {
            if (time is not null)
            {
                services.AddSingleton(time);
            }
        });
        await daemon._app.StartAsync();
        var address = daemon._app.Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        daemon.BaseUri = new Uri(address);
        return daemon;
    }

    /// <summary>A DDP client that has completed the handshake.</summary>
    public Task<DdpClient> ConnectAsync(bool handshake = true) => DdpClient.ConnectAsync(WebSocketUri, handshake);

    /// <summary>A DDP client signed in as root.</summary>
    public async Task<DdpClient> ConnectAsRootAsync()
    {
        var client = await ConnectAsync();
        (await client.CallAsync("auth.login", "root", RootPassword)).GetProperty("result").GetBoolean()
            .Should().BeTrue();
        return client;
    }

    /// <summary>A JSON-RPC client on <c>/api/current</c> (or another API path).</summary>
    public Task<JsonRpcClient> ConnectJsonRpcAsync(string path = "/api/current") =>
        JsonRpcClient.ConnectAsync(new Uri(BaseUri, path));

    /// <summary>A JSON-RPC client signed in as root.</summary>
    public async Task<JsonRpcClient> ConnectJsonRpcAsRootAsync()
    {
        var client = await ConnectJsonRpcAsync();
        (await client.CallResultAsync("auth.login", "root", RootPassword)).GetBoolean().Should().BeTrue();
        return client;
    }

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }

        if (!_ownsDataDir)
        {
            return;
        }

        TestDatabases.Drop(DataDir);
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying connection; the temp folder is cleaned by the OS.
        }
    }
}
