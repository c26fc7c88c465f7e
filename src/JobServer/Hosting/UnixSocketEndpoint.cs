using System.Globalization;
using System.Net.Sockets;
using JobServer.Auth;
using Microsoft.AspNetCore.Connections.Features;

namespace JobServer.Hosting;

/// <summary>
/// The daemon's Unix domain socket, <c>&lt;data-dir&gt;/jobserver.sock</c> (or <c>JobServer:UnixSocket</c>;
/// <c>none</c> turns it off): the same endpoints as the TCP address, and on it the kernel's word on who connected
/// (<see cref="PeerCredentials"/>), so <c>jobctl</c> on the host needs no credentials.
/// </summary>
/// <remarks>
/// Added to the configured URLs (Kestrel's <c>http://unix:/path</c>) rather than with <c>ListenUnixSocket</c>:
/// an endpoint set in code makes Kestrel ignore <c>--urls</c>. The socket is created under the daemon's 0077
/// umask (<see cref="PrivateFileModes"/>), so no other user can reach it from the start; once it exists it becomes
/// 0600, or <c>JobServer:UnixSocketMode</c> (such as <c>0660</c>, for a group of operators).
/// </remarks>
internal static partial class UnixSocketEndpoint
{
    public const string SocketSetting = "JobServer:UnixSocket";
    public const string ModeSetting = "JobServer:UnixSocketMode";
    public const string FileName = "jobserver.sock";

    // sockaddr_un.sun_path is 108 bytes with its terminating NUL.
    private const int MaxPathBytes = 107;

    /// <summary>Adds the socket to the daemon's URLs and the peer-credential reading to its connections.</summary>
    public static void AddUnixSocket(this WebApplicationBuilder builder, string defaultUrl)
    {
        // Always there (it does nothing without peer credentials), so the WebSocket door needs no branch.
        builder.Services.AddSingleton<UnixSocketSignIn>();
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        if (PathOf(builder.Configuration) is not { } path)
        {
            return;
        }

        var urls = builder.Configuration["urls"] is { Length: > 0 } configured ? configured : defaultUrl;
        builder.WebHost.UseUrls([.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries), $"http://unix:{path}"]);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => connection =>
        {
            if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is { AddressFamily: AddressFamily.Unix } socket
                && PeerCredentials.Read(socket) is { } peer)
            {
                connection.Features.Set(peer);
            }

            return next(connection);
        })));
        builder.Services.AddHostedService(services => new UnixSocketFile(path, Mode(builder.Configuration),
            services.GetRequiredService<IHostApplicationLifetime>(), services.GetRequiredService<ILogger<UnixSocketFile>>()));
    }

    /// <summary>The socket's full path, or null when turned off or too long for a socket address (then logged).</summary>
    public static string? PathOf(IConfiguration configuration)
    {
        var setting = configuration[SocketSetting];
        if (string.Equals(setting, "none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var path = Path.GetFullPath(setting is { Length: > 0 } ? setting : Path.Combine(JobServerHost.DataDirOf(configuration), FileName));
        return System.Text.Encoding.UTF8.GetByteCount(path) <= MaxPathBytes ? path : null;
    }

    /// <summary><c>JobServer:UnixSocketMode</c> (octal), else 0600: the umask made it 0700, and a socket has no use for x.</summary>
    private static UnixFileMode Mode(IConfiguration configuration) =>
        configuration[ModeSetting] is { Length: > 0 } octal
            ? (UnixFileMode)System.Convert.ToInt32(octal, 8) & (UnixFileMode)0b111_111_111
            : PrivateFileModes.File;

    /// <summary>Removes a socket file a killed daemon left (the data directory's lock says none runs), applies the
    /// mode once Kestrel made it, and removes it at the stop.</summary>
    private sealed partial class UnixSocketFile(string path, UnixFileMode mode, IHostApplicationLifetime lifetime,
        ILogger<UnixSocketFile> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }

            lifetime.ApplicationStarted.Register(() =>
            {
                if (OperatingSystem.IsWindows())
                {
                    return; // Never registered there; the guard is for the analyzer.
                }

                File.SetUnixFileMode(path, mode);

                LogListening(logger, path, System.Convert.ToString((int)File.GetUnixFileMode(path), 8));
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // Gone already, or the folder with it.
            }

            return Task.CompletedTask;
        }

        [LoggerMessage(Level = LogLevel.Information, Message = "Unix socket {Path} (mode {Mode}): its own user and root sign in as root")]
        private static partial void LogListening(ILogger logger, string path, string mode);
    }
}
