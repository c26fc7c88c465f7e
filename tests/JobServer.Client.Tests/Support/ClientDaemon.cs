using System.Net;
using System.Net.Sockets;
using JobServer.Client;

namespace JobServer.Client.Tests.Support;

/// <summary>
/// A daemon process with the test plugin on a fixed loopback port, so it can be stopped and started again at the
/// same address under a live client (a restart, as systemd would do it).
/// </summary>
public sealed class ClientDaemon : IAsyncDisposable
{
    private readonly string[] _extraArgs;
    private DaemonProcess _process;

    private ClientDaemon(string dataDir, int port, string[] extraArgs, DaemonProcess process)
    {
        DataDir = dataDir;
        Port = port;
        _extraArgs = extraArgs;
        _process = process;
    }

    public string DataDir { get; }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public DaemonProcess Process => _process;

    public static async Task<ClientDaemon> StartAsync(params string[] extraArgs)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "jobserver-client-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var port = FreePort();
        return new ClientDaemon(dataDir, port, extraArgs, await Launch(dataDir, port, extraArgs));
    }

    /// <summary>Stops the daemon (SIGTERM, waiting for it to exit) and starts it again on the same port and data.</summary>
    public async Task RestartAsync()
    {
        await _process.TerminateAsync();
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await _process.DisposeAsync();
        _process = await Launch(DataDir, Port, _extraArgs);
    }

    /// <summary>A client signed in as root.</summary>
    public Task<JobServerClient> ConnectAsRootAsync(JobServerDialect dialect = JobServerDialect.JsonRpc) =>
        JobServerClient.ConnectAsync(Options(dialect) with
        {
            Credentials = JobServerCredentials.Password("root", ProbeCredentials.RootPassword),
        });

    public JobServerClientOptions Options(JobServerDialect dialect = JobServerDialect.JsonRpc) =>
        new() { Url = Url, Dialect = dialect, MaxReconnectDelay = TimeSpan.FromMilliseconds(500) };

    private static Task<DaemonProcess> Launch(string dataDir, int port, string[] extraArgs) =>
        DaemonProcess.StartAsync(dataDir,
        [
            "--urls", $"http://127.0.0.1:{port}",
            "--plugin-dir", RepositoryPaths.TestPluginOutput,
            "--Serilog:MinimumLevel:Default=Warning",
            "--JobServer:Auth:AnonymousRateLimit=100000",
            "--JobServer:Auth:AddressFailuresBeforeBackoff=100000",
            .. extraArgs,
        ]);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        TestDatabases.Drop(DataDir);
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temp cleaning.
        }
    }
}
