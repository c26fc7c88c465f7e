using System.Net;

namespace JobServer.Protocol.Inbound;

/// <summary>
/// Logs refused messages (duplicate keys, lone surrogates) as one short warning each, at most
/// <see cref="WarningsPerWindow"/> per client address per minute; the rest are counted and the count is logged
/// when that address's next minute starts. A 40-byte anonymous message used to cost 3.6 KB of error log
/// (issue 12): an anonymous client must not be able to flood the log.
/// </summary>
internal sealed partial class RefusedMessageLog(TimeProvider time, ILogger<RefusedMessageLog> logger)
{
    public const int WarningsPerWindow = 5;

    /// <summary>Addresses remembered at once; past this, expired windows are dropped (a spoofing-proof bound).</summary>
    private const int MaxAddresses = 4096;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Dictionary<IPAddress, AddressWindow> _windows = [];
    private readonly Lock _gate = new();

    public void Refused(string dialect, IPAddress? address, string problem)
    {
        var key = address ?? IPAddress.None;
        var now = time.GetTimestamp();
        int suppressed;
        lock (_gate)
        {
            if (!_windows.TryGetValue(key, out var window) || time.GetElapsedTime(window.Start, now) >= Window)
            {
                suppressed = window?.Suppressed ?? 0;
                Forget(now);
                window = new AddressWindow(now);
                _windows[key] = window;
            }
            else
            {
                suppressed = 0;
            }

            if (++window.Logged > WarningsPerWindow)
            {
                window.Suppressed++;
                return;
            }
        }

        if (suppressed > 0)
        {
            LogSuppressed(logger, suppressed, address);
        }

        LogRefused(logger, dialect, address, problem);
    }

    /// <summary>Drops expired windows once the table is full; their suppressed counts go unreported.</summary>
    private void Forget(long now)
    {
        if (_windows.Count < MaxAddresses)
        {
            return;
        }

        foreach (var (address, window) in _windows.Where(w => time.GetElapsedTime(w.Value.Start, now) >= Window).ToList())
        {
            _windows.Remove(address);
        }

        if (_windows.Count >= MaxAddresses)
        {
            _windows.Clear();
        }
    }

    private sealed class AddressWindow(long start)
    {
        public long Start { get; } = start;

        public int Logged { get; set; }

        public int Suppressed { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a {Dialect} message from {RemoteAddress}: {Problem}")]
    private static partial void LogRefused(ILogger logger, string dialect, IPAddress? remoteAddress, string problem);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Count} more refused messages from {RemoteAddress} in the last minute were not logged")]
    private static partial void LogSuppressed(ILogger logger, int count, IPAddress? remoteAddress);
}
