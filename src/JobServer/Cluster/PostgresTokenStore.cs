using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using JobServer.Auth;
using JobServer.Jobs.Storage;
using Npgsql;
using NpgsqlTypes;
using Polly;

namespace JobServer.Cluster;

/// <summary>
/// Tokens in the database the nodes share (table <c>auth_tokens</c>, by hash), so a token made on one node signs
/// in on every node, a single-use one is used once in the whole cluster (the row is deleted by whoever presents it
/// first), and a logout on one node ends the tokens its session made everywhere.
/// </summary>
/// <remarks>
/// A session's calls keep the token it signed in with alive (sliding ttl); writing that on every call would put a
/// database write on the call path, so a node touches a token at most every <see cref="TouchInterval"/> (or half its
/// ttl, if shorter), without holding up the call; this node's next use of the token waits for that write.
/// Revocations are one round trip, retried while the database is briefly unavailable; one that fails for good is
/// logged (the tokens then live until their ttl runs out).
/// <para>Unlike heartbeats, which compare instants on the database's clock, a token's last use and expiry are on
/// the node's clock (<see cref="TimeProvider"/>): a ttl is minutes to days, so clocks kept in step by NTP move an
/// expiry by milliseconds, and the behaviour is the single daemon's, fake clocks in tests included.</para>
/// </remarks>
internal sealed partial class PostgresTokenStore(
    NpgsqlDataSource database, TimeProvider time, ILogger<PostgresTokenStore> logger) : ITokenStore
{
    public static readonly TimeSpan TouchInterval = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    /// <summary>Pushes a live token's expiry back (never revives an expired one).</summary>
    private const string TouchSql =
        "UPDATE auth_tokens SET \"LastUsedAt\" = @now WHERE \"Hash\" = @hash AND \"LastUsedAt\" + \"Ttl\" > @now";

    private const string Columns = "\"Username\", \"Roles\", \"Attributes\", \"CreatorSession\", \"Origin\", \"SingleUse\", \"Ttl\"";

    private readonly ResiliencePipeline _retry = StoreWriteRetry.Create(4, TimeSpan.FromMilliseconds(100), time, logger);
    private readonly ConcurrentDictionary<string, Touch> _touched = new(StringComparer.Ordinal);
    private long _lastSweepTicks;

    public async Task<string> GenerateAsync(TokenInfo info, CancellationToken cancellationToken)
    {
        await SweepExpiredAsync(cancellationToken);
        var token = SecretHasher.NewSecret();
        await using var insert = database.CreateCommand(
            $"INSERT INTO auth_tokens (\"Hash\", {Columns}, \"LastUsedAt\") " +
            "VALUES (@hash, @username, @roles, @attributes, @creator, @origin, @single, @ttl, @now)");
        insert.Parameters.AddWithValue("hash", SecretHasher.Hash(token));
        insert.Parameters.AddWithValue("username", info.Username);
        insert.Parameters.AddWithValue("roles", string.Join(',', info.Roles));
        insert.Parameters.AddWithValue("attributes", NpgsqlDbType.Jsonb, info.Attributes.ToJsonString());
        insert.Parameters.AddWithValue("creator", info.CreatorSessionId);
        insert.Parameters.AddWithValue("origin", (object?)info.Origin?.ToString() ?? DBNull.Value);
        insert.Parameters.AddWithValue("single", info.SingleUse);
        insert.Parameters.AddWithValue("ttl", info.Ttl);
        insert.Parameters.AddWithValue("now", time.GetUtcNow().UtcDateTime);
        await _retry.ExecuteAsync(async ct => await insert.ExecuteNonQueryAsync(ct), cancellationToken);
        return token;
    }

    public async Task<TokenUse?> TryUseAsync(string token, IPAddress? origin, Func<TokenInfo, bool>? accept,
        CancellationToken cancellationToken)
    {
        var hash = SecretHasher.Hash(token);
        if (_touched.TryGetValue(hash, out var touch))
        {
            await touch.Written; // a use of this session's token pushed its expiry back: read what it wrote
        }

        var info = await FindLiveAsync(hash, cancellationToken);
        if (info is null || !TokenStore.MayUse(info, origin) || (accept is not null && !accept(info)))
        {
            return null;
        }

        // A single-use token is used by whoever deletes its row: of two nodes racing, one deletes it, the other
        // finds nothing. Another token's use pushes its expiry back, unless it expired in between.
        await using var use = database.CreateCommand(info.SingleUse
            ? "DELETE FROM auth_tokens WHERE \"Hash\" = @hash AND \"LastUsedAt\" + \"Ttl\" > @now"
            : TouchSql);
        use.Parameters.AddWithValue("hash", hash);
        var now = time.GetUtcNow();
        use.Parameters.AddWithValue("now", now.UtcDateTime);
        if (await use.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            return null;
        }

        if (!info.SingleUse)
        {
            _touched[hash] = new Touch(now.UtcTicks, info.Ttl, Task.CompletedTask);
        }

        return new TokenUse(info, hash);
    }

    public void NotifyUsed(string tokenHash)
    {
        var now = time.GetUtcNow();
        var last = _touched.GetValueOrDefault(tokenHash, new Touch(0, TouchInterval, Task.CompletedTask));
        if (now.UtcTicks - last.TouchedTicks < Math.Min(TouchInterval.Ticks, last.Ttl.Ticks / 2))
        {
            return;
        }

        // Two calls at once may both touch: harmless, and cheaper than a lock on every call.
        _touched[tokenHash] = new Touch(now.UtcTicks, last.Ttl, TouchAsync(tokenHash, now));
    }

    public Task<int> RevokeCreatedByAsync(string sessionId) =>
        DeleteAsync("\"CreatorSession\" = @value", sessionId, "session");

    public Task<int> RevokeUserAsync(string username) => DeleteAsync("\"Username\" = @value", username, "account");

    private async Task<TokenInfo?> FindLiveAsync(string hash, CancellationToken cancellationToken)
    {
        await using var find = database.CreateCommand(
            $"SELECT {Columns} FROM auth_tokens WHERE \"Hash\" = @hash AND \"LastUsedAt\" + \"Ttl\" > @now");
        find.Parameters.AddWithValue("hash", hash);
        find.Parameters.AddWithValue("now", time.GetUtcNow().UtcDateTime);
        await using var row = await find.ExecuteReaderAsync(cancellationToken);
        if (!await row.ReadAsync(cancellationToken))
        {
            return null;
        }

        var roles = row.GetString(1);
        return new TokenInfo(
            row.GetString(0),
            roles.Length == 0 ? new HashSet<string>(StringComparer.Ordinal) : roles.Split(',').ToHashSet(StringComparer.Ordinal),
            JsonNode.Parse(row.GetString(2))!.AsObject(),
            row.GetString(3),
            row.IsDBNull(4) ? null : IPAddress.Parse(row.GetString(4)),
            row.GetBoolean(5),
            row.GetTimeSpan(6));
    }

    private async Task TouchAsync(string hash, DateTimeOffset now)
    {
        try
        {
            await using var touch = database.CreateCommand(TouchSql);
            touch.Parameters.AddWithValue("hash", hash);
            touch.Parameters.AddWithValue("now", now.UtcDateTime);
            await _retry.ExecuteAsync(async ct => await touch.ExecuteNonQueryAsync(ct), CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            LogTouchFailed(logger, e.Message);
        }
    }

    private async Task<int> DeleteAsync(string where, string value, string of)
    {
        try
        {
            await using var delete = database.CreateCommand($"DELETE FROM auth_tokens WHERE {where}");
            delete.Parameters.AddWithValue("value", value);
            return await _retry.ExecuteAsync(async ct => await delete.ExecuteNonQueryAsync(ct), CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            LogRevokeFailed(logger, of, e.Message);
            return 0;
        }
    }

    private async Task SweepExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (now - last < SweepInterval.Ticks || Interlocked.CompareExchange(ref _lastSweepTicks, now, last) != last)
        {
            return;
        }

        await using var sweep = database.CreateCommand("DELETE FROM auth_tokens WHERE \"LastUsedAt\" + \"Ttl\" <= @now");
        sweep.Parameters.AddWithValue("now", new DateTime(now, DateTimeKind.Utc));
        await sweep.ExecuteNonQueryAsync(cancellationToken);
        foreach (var (hash, touch) in _touched)
        {
            if (now - touch.TouchedTicks > touch.Ttl.Ticks && touch.Written.IsCompleted)
            {
                _touched.TryRemove(hash, out _);
            }
        }
    }

    /// <summary>When this node last pushed a token's expiry back, and that write.</summary>
    private sealed record Touch(long TouchedTicks, TimeSpan Ttl, Task Written);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not push back a token's expiry on the shared database: {Reason}. It expires after its ttl " +
                  "unless it is used again")]
    private static partial void LogTouchFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Could not revoke the tokens of a signed-out {Of} on the shared database: {Reason}. They stay valid " +
                  "on the other nodes until their ttl runs out")]
    private static partial void LogRevokeFailed(ILogger logger, string of, string reason);
}
