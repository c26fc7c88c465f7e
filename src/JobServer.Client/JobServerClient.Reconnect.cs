using Microsoft.Extensions.Logging;

namespace JobServer.Client;

public sealed partial class JobServerClient
{
    private static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Waits for the connection to drop and replaces it, backing off from 100 ms to
    /// <see cref="JobServerClientOptions.MaxReconnectDelay"/> between attempts, until the client is disposed.
    /// </summary>
    private async Task SuperviseAsync(Connection connection)
    {
        while (true)
        {
            await connection.Closed;
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            lock (_gate)
            {
                _current = new TaskCompletionSource<Connection>(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            await connection.DisposeAsync();
            if (!_options.AutoReconnect)
            {
                var gone = new JobServerConnectionException("The connection to the daemon was lost");
                CompleteSubscriptions(gone);
                lock (_gate)
                {
                    _current.TrySetException(gone);
                }

                return;
            }

            LogConnectionLost(_logger, Connection.Describe(_endpoint));
            var next = await ReconnectAsync();
            if (next is null)
            {
                return;
            }

            connection = next;
            lock (_gate)
            {
                _current.TrySetResult(connection);
            }

            LogReconnected(_logger, Connection.Describe(_endpoint));
            Reconnected?.Invoke(this, EventArgs.Empty);
        }
    }

    private async Task<Connection?> ReconnectAsync()
    {
        var delay = FirstReconnectDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Task.Delay(delay, _options.TimeProvider, _disposed.Token);
                return await OpenAsync(_disposed.Token);
            }
            catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception e) when (e is JobServerConnectionException or JobServerCallException or TimeoutException)
            {
                LogReconnectFailed(_logger, attempt, e.Message);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection to {Endpoint} lost; reconnecting")]
    private static partial void LogConnectionLost(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconnected to {Endpoint}")]
    private static partial void LogReconnected(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reconnect attempt {Attempt} failed: {Reason}")]
    private static partial void LogReconnectFailed(ILogger logger, int attempt, string reason);
}
