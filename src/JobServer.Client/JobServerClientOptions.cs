using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobServer.Client;

/// <summary>Where and how a <see cref="JobServerClient"/> connects.</summary>
public sealed record JobServerClientOptions
{
    /// <summary>The URL scheme of the daemon's Unix socket, midclt's: <c>ws+unix:///path/to/jobserver.sock</c>.</summary>
    public const string UnixSocketScheme = "ws+unix";

    /// <summary>
    /// The daemon: <c>http://host:port</c>, <c>ws://host:port</c> (<c>https</c>/<c>wss</c> for TLS), optionally with
    /// the path <c>/api/current</c> or <c>/websocket</c> (which then selects the dialect), or midclt's
    /// <c>ws+unix:///path/to/jobserver.sock</c> for the daemon's Unix socket.
    /// </summary>
    public required Uri Url { get; init; }

    /// <summary>How to sign in (again after every reconnect). Default: none.</summary>
    public JobServerCredentials Credentials { get; init; } = JobServerCredentials.None;

    /// <summary>The dialect, unless <see cref="Url"/>'s path names one. Default: JSON-RPC 2.0.</summary>
    public JobServerDialect Dialect { get; init; } = JobServerDialect.JsonRpc;

    /// <summary>
    /// How long a call may wait for its answer (midclt's <c>-t</c>; default 60 s). Waiting for a job's end is not
    /// bounded by it: a job may run for hours; cancel the token to stop waiting.
    /// </summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long connecting (and signing in) may take. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Reconnect (sign in and subscribe again) when the connection drops. Default: on.</summary>
    public bool AutoReconnect { get; init; } = true;

    /// <summary>The longest pause between reconnect attempts (they back off from 100 ms up to this). Default 5 s.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How results are turned into the types asked for. Default: web defaults (camelCase off, case-insensitive).</summary>
    public JsonSerializerOptions SerializerOptions { get; init; } = DefaultSerializerOptions;

    /// <summary>The clock for timeouts and reconnect pauses (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the client logs reconnects. Default: nowhere.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    internal static JsonSerializerOptions DefaultSerializerOptions { get; } = WithResolver(new(JsonSerializerDefaults.General)
    {
        PropertyNameCaseInsensitive = true,
    });

    /// <summary>
    /// Options that can resolve contracts: the client asks them with <c>GetTypeInfo</c> (trimming-safe), which,
    /// unlike the serializer's own entry points, does not fill in a missing resolver. The default resolver is
    /// reflection where the program allows it and none in a Native AOT program (give a source-generated one there).
    /// </summary>
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026",
        Justification = "Reached only when JsonSerializer.IsReflectionEnabledByDefault, a feature switch that trimmed and AOT builds turn off (and the trimmer then removes this branch).")]
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("AOT", "IL3050",
        Justification = "As IL2026: reflection is used only where the program allows it.")]
    internal static JsonSerializerOptions WithResolver(JsonSerializerOptions options) =>
        options.TypeInfoResolver is not null
            ? options
            : new JsonSerializerOptions(options)
            {
                // The feature switch guards the reflection resolver: a trimmed program gets the empty one.
                TypeInfoResolver = JsonSerializer.IsReflectionEnabledByDefault
                    ? new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver()
                    : System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(),
            };
}
