namespace JobServer.Probes.Fuzzing;

/// <summary>The size, seed and promises of a <see cref="ProtocolFuzzer"/> run.</summary>
public sealed record ProtocolFuzzerOptions
{
    /// <summary>Inputs to send (frames that left the client), over both dialects.</summary>
    public int Inputs { get; init; } = 3000;

    /// <summary>Seeds every choice: a run is reproducible from its seed and size.</summary>
    public int Seed { get; init; } = 12;

    /// <summary>Inputs sent on one connection before it is closed (fewer when the server closes it first).</summary>
    public int InputsPerConnection { get; init; } = 40;

    /// <summary>Connections fuzzed at once in a batch; after each batch a fresh connection must answer core.ping.</summary>
    public int ConnectionsPerBatch { get; init; } = 4;

    /// <summary>root's password, to make a sign-in token once (fuzzed connections sign in with the token).</summary>
    public required string Password { get; init; }

    /// <summary>The daemon's log, to check it holds no error entry (an unhandled exception); null to skip.</summary>
    public DaemonLog? DaemonLog { get; init; }

    /// <summary>How long a fresh connection may take to answer core.ping after a batch.</summary>
    public TimeSpan PingDeadline { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The daemon's Unix socket, to fuzz that door instead of TCP (its sessions start signed in as root by peer
    /// credentials); null for TCP. The sign-in token is still made over TCP.
    /// </summary>
    public string? UnixSocketPath { get; init; }

    /// <summary>How long a connection may take to finish its close handshake after its last input.</summary>
    public TimeSpan CloseDeadline { get; init; } = TimeSpan.FromSeconds(10);
}
