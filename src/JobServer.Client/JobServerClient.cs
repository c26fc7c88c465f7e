using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace JobServer.Client;

/// <summary>
/// A connection to a JobServer (or middlewared) daemon over JSON-RPC 2.0 or DDP that signs in, calls methods, waits
/// for jobs, streams subscriptions and transfers files, and reconnects by itself — signing in and subscribing
/// again — when the connection drops.
/// </summary>
/// <remarks>
/// A call that was in flight when the connection dropped fails with <see cref="JobServerConnectionException"/>
/// (it may or may not have run, so it is not sent again); calls made while the client reconnects wait for the new
/// connection, within their timeout. Waiting for a job (<see cref="WaitJobAsync{T}"/>) is safe to repeat and does
/// go on across a reconnect. Thread-safe: calls may be made concurrently.
/// </remarks>
public sealed partial class JobServerClient : IAsyncDisposable
{
    private readonly JobServerClientOptions _options;
    private readonly JobServerEndpoint _endpoint;
    private readonly WireDialect _wire;
    private readonly HttpMessageInvoker _socketInvoker;
    private readonly Lazy<HttpClient> _http;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource<Connection> _current = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _supervisor = Task.CompletedTask;

    private JobServerClient(JobServerClientOptions options)
    {
        _options = options with { SerializerOptions = JobServerClientOptions.WithResolver(options.SerializerOptions) };
        _endpoint = JobServerEndpoint.From(options.Url, options.Dialect);
        _wire = WireDialect.For(_endpoint.Dialect);
        _socketInvoker = new HttpMessageInvoker(SocketHandler.Create(_endpoint));
        // Made on the first transfer: a client that only calls never pays for it.
        _http = new Lazy<HttpClient>(() => new HttpClient(SocketHandler.Create(_endpoint))
        {
            BaseAddress = _endpoint.HttpBase,
            Timeout = Timeout.InfiniteTimeSpan,
        });
        _logger = options.LoggerFactory.CreateLogger<JobServerClient>();
    }

    /// <summary>Raised after the client reconnected, signed in again and renewed its subscriptions.</summary>
    public event EventHandler? Reconnected;

    /// <summary>The dialect in use (from the URL's path or <see cref="JobServerClientOptions.Dialect"/>).</summary>
    public JobServerDialect Dialect => _endpoint.Dialect;

    /// <summary>Connects and signs in; fails with <see cref="JobServerConnectionException"/> when it cannot.</summary>
    public static async Task<JobServerClient> ConnectAsync(JobServerClientOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var client = new JobServerClient(options);
        try
        {
            var connection = await client.OpenAsync(cancellationToken);
            client._current.SetResult(connection);
            client._supervisor = client.SuperviseAsync(connection);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Calls a method and converts its result to <typeparamref name="T"/> (use <see cref="JsonElement"/> for raw JSON).</summary>
    /// <exception cref="JobServerCallException">The daemon refused the call or the method failed.</exception>
    /// <exception cref="TimeoutException">No answer within <see cref="JobServerClientOptions.CallTimeout"/>.</exception>
    public async Task<T> CallAsync<T>(string method, IReadOnlyList<object?>? args = null,
        CancellationToken cancellationToken = default)
    {
        var result = await CallRawAsync(method, args ?? [], _options.CallTimeout, cancellationToken);
        return Convert<T>(result);
    }

    /// <summary>Calls a method whose result does not matter.</summary>
    public Task CallAsync(string method, IReadOnlyList<object?>? args = null, CancellationToken cancellationToken = default) =>
        CallRawAsync(method, args ?? [], _options.CallTimeout, cancellationToken);

    private async Task<JsonElement> CallRawAsync(string method, IReadOnlyList<object?> args, TimeSpan? timeout,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        if (timeout is { } t && t != Timeout.InfiniteTimeSpan)
        {
            limit.CancelAfter(t);
        }

        try
        {
            var connection = await CurrentAsync().WaitAsync(limit.Token);
            return await connection.CallAsync(method, args, _options.SerializerOptions, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_disposed.IsCancellationRequested)
        {
            throw new TimeoutException($"{method}: no answer within {timeout?.TotalSeconds} s");
        }
    }

    private Task<Connection> CurrentAsync()
    {
        lock (_gate)
        {
            return _current.Task;
        }
    }

    private T Convert<T>(JsonElement result)
    {
        // JSON and the common scalars without the serializer (see WireDialect.WriteParams for why).
        object? value = typeof(T) switch
        {
            var t when t == typeof(JsonElement) => result,
            var t when t == typeof(string) && result.ValueKind is JsonValueKind.String or JsonValueKind.Null => result.GetString(),
            var t when t == typeof(long) && result.ValueKind == JsonValueKind.Number => result.GetInt64(),
            var t when t == typeof(int) && result.ValueKind == JsonValueKind.Number => result.GetInt32(),
            var t when t == typeof(bool) && result.ValueKind is JsonValueKind.True or JsonValueKind.False => result.GetBoolean(),
            _ => null,
        };
        return value is T typed
            ? typed
            : (T)result.Deserialize(_options.SerializerOptions.GetTypeInfo(typeof(T)))!;
    }

    /// <summary>Opens a connection, signs in, and renews the subscriptions.</summary>
    private async Task<Connection> OpenAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        limit.CancelAfter(_options.ConnectTimeout);
        Connection? connection = null;
        try
        {
            connection = await Connection.OpenAsync(_endpoint, _socketInvoker, _wire, OnPush, limit.Token);
            await SignInAsync(connection, limit.Token);
            await ResubscribeAsync(connection, limit.Token);
            return connection;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_disposed.IsCancellationRequested)
        {
            await DisposeQuietlyAsync(connection);
            throw new JobServerConnectionException(
                $"Cannot connect to {Connection.Describe(_endpoint)} within {_options.ConnectTimeout.TotalSeconds} s");
        }
        catch
        {
            await DisposeQuietlyAsync(connection);
            throw;
        }
    }

    private async Task SignInAsync(Connection connection, CancellationToken cancellationToken)
    {
        if (_options.Credentials.LoginCall is not { } login)
        {
            return;
        }

        JsonElement answer;
        try
        {
            answer = await connection.CallAsync(login.Method, login.Args, _options.SerializerOptions, cancellationToken);
        }
        catch (JobServerCallException e)
        {
            // The sign-in guard's back-off (errno 16, retry_after) and anything else it refuses with.
            throw new JobServerConnectionException($"Sign-in refused ({_options.Credentials}): {e.Reason}", signInRefused: true);
        }

        if (answer.ValueKind != JsonValueKind.True)
        {
            throw new JobServerConnectionException($"Sign-in refused ({_options.Credentials})", signInRefused: true);
        }
    }

    private static async Task DisposeQuietlyAsync(Connection? connection)
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync();
        CompleteSubscriptions(new ObjectDisposedException(nameof(JobServerClient)));
        Task<Connection> current;
        lock (_gate)
        {
            current = _current.Task;
            _current.TrySetException(new ObjectDisposedException(nameof(JobServerClient)));
        }

        if (current.IsCompletedSuccessfully)
        {
            await current.Result.DisposeAsync();
        }

        await _supervisor;
        if (_http.IsValueCreated)
        {
            _http.Value.Dispose();
        }

        _socketInvoker.Dispose();
        _disposed.Dispose();
    }
}
