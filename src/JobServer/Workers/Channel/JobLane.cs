using System.Text.Json.Serialization.Metadata;

namespace JobServer.Workers.Channel;

/// <summary>
/// One job's frames over a worker's shared <see cref="FrameChannel"/>: the same writes, each tagged with the job's
/// id, so the jobs a Spark context's worker runs at once never mistake each other's progress, data or answers.
/// </summary>
internal sealed class JobLane(FrameChannel channel, long jobId)
{
    public long JobId => jobId;

    public ValueTask WriteAsync(FrameType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        channel.WriteAsync(jobId, type, payload, cancellationToken);

    public ValueTask WriteJsonAsync<T>(FrameType type, T message, JsonTypeInfo<T> info,
        CancellationToken cancellationToken = default) =>
        WriteAsync(type, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(message, info), cancellationToken);

    public ValueTask WriteTextAsync(FrameType type, string text, CancellationToken cancellationToken = default) =>
        WriteAsync(type, System.Text.Encoding.UTF8.GetBytes(text), cancellationToken);

    public ValueTask WriteCountAsync(FrameType type, int count, CancellationToken cancellationToken = default) =>
        WriteAsync(type, FrameChannel.Count(count), cancellationToken);
}
