using System.Threading.Channels;
using Npgsql;

namespace JobServer.Jobs.Storage;

/// <summary>
/// PostgreSQL's ids: drawn from the <c>job_ids</c> sequence, so they never repeat whichever node or restart takes
/// them. Requests that arrive together share one round trip (<c>nextval</c> once per request in one statement),
/// the way the writer shares commits: a lone request costs one round trip, a burst costs one for all. Only ids that
/// were asked for are drawn, so after a restart the ids go on from the last one handed out (as on SQLite), where
/// a hi-lo block would leave a gap.
/// </summary>
internal sealed partial class PostgresJobIds : IJobIds, IAsyncDisposable
{
    public const string Sequence = "job_ids";

    /// <summary>At most this many ids per round trip.</summary>
    private const int MaxDraw = 4096;

    private static readonly string DrawSql =
        $"SELECT nextval('{Sequence}') FROM generate_series(1, @count) ORDER BY 1";

    private readonly NpgsqlDataSource _database;
    private readonly ILogger<PostgresJobIds> _logger;
    private readonly Channel<TaskCompletionSource<long>> _requests =
        Channel.CreateUnbounded<TaskCompletionSource<long>>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _loop;

    public PostgresJobIds(NpgsqlDataSource database, ILogger<PostgresJobIds> logger)
    {
        _database = database;
        _logger = logger;
    }

    public async Task<long> OpenAsync(CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand(
            $"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {Sequence}");
        var last = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        _loop = Task.Run(DrawLoopAsync, CancellationToken.None);
        return last;
    }

    public ValueTask<long> NextAsync(CancellationToken cancellationToken)
    {
        if (_loop is null)
        {
            throw new InvalidOperationException("The job store is not open yet");
        }

        var request = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_requests.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(PostgresJobIds), "The job store has stopped");
        }

        return new ValueTask<long>(request.Task.WaitAsync(cancellationToken));
    }

    private async Task DrawLoopAsync()
    {
        var waiting = new List<TaskCompletionSource<long>>();
        while (await _requests.Reader.WaitToReadAsync())
        {
            waiting.Clear();
            while (waiting.Count < MaxDraw && _requests.Reader.TryRead(out var request))
            {
                waiting.Add(request);
            }

            try
            {
                await using var command = _database.CreateCommand(DrawSql);
                command.Parameters.AddWithValue("count", waiting.Count);
                await using var reader = await command.ExecuteReaderAsync();
                var i = 0;
                while (await reader.ReadAsync())
                {
                    waiting[i++].TrySetResult(reader.GetInt64(0));
                }
            }
#pragma warning disable CA1031 // A failed draw fails its callers (their calls answer an error); the loop lives on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogDrawFailed(_logger, e, waiting.Count);
                foreach (var request in waiting)
                {
                    request.TrySetException(new JobStoreWriteException($"No job id could be drawn: {e.Message}"));
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Drawing {Count} job id(s) from the sequence failed")]
    private static partial void LogDrawFailed(ILogger logger, Exception exception, int count);
}
