using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Events;
using JobServer.Sdk;
using JobServer.Jobs;

namespace JobServer.Tests.Jobs.Fakes;

/// <summary>An <see cref="IJobEventBus"/> that records what was published, in order, and lets a test wait for it.</summary>
internal sealed class RecordingJobEventBus : IJobEventBus
{
    private readonly Lock _gate = new();
    private readonly List<PublishedJob> _events = [];
    private readonly List<(Func<PublishedJob, bool> Match, TaskCompletionSource<PublishedJob> Seen)> _waiters = [];

    /// <summary>Runs as each event is published, on the publishing thread (to check what holds at that moment).</summary>
    public Action<PublishedJob>? OnPublish { get; set; }

    public IReadOnlyList<PublishedJob> Events
    {
        get
        {
            lock (_gate)
            {
                return _events.ToArray();
            }
        }
    }

    /// <summary>The states one job's events carried, in publication order ("ADDED:WAITING", "CHANGED:RUNNING"…).</summary>
    public IReadOnlyList<string> StatesOf(long id) =>
        Events.Where(e => e.Id == id).Select(e => $"{e.Kind}:{e.State}").ToArray();

    public void Publish(CollectionEvent change)
    {
        var published = PublishedJob.From(change);
        OnPublish?.Invoke(published);
        lock (_gate)
        {
            _events.Add(published);
            foreach (var waiter in _waiters.Where(w => w.Match(published)).ToArray())
            {
                _waiters.Remove(waiter);
                waiter.Seen.TrySetResult(published);
            }
        }
    }

    /// <summary>Waits (at most 10 s) for an event that matches; one already published counts.</summary>
    public Task<PublishedJob> WaitForAsync(Func<PublishedJob, bool> match)
    {
        var seen = new TaskCompletionSource<PublishedJob>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_events.FirstOrDefault(match) is { } already)
            {
                return Task.FromResult(already);
            }

            _waiters.Add((match, seen));
        }

        return seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public Task<PublishedJob> WaitForStateAsync(long id, string state) =>
        WaitForAsync(e => e.Id == id && e.State == state);
}

/// <summary>One published job event, decoded the way a subscriber sees it.</summary>
internal sealed record PublishedJob(EventKind Kind, long Id, string State, JsonObject Fields)
{
    public static PublishedJob From(CollectionEvent change)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            change.WriteMembers(writer);
            writer.WriteEndObject();
        }

        var message = JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
        var fields = message["fields"]!.AsObject();
        return new PublishedJob(change.Kind, message["id"]!.GetValue<long>(), fields["state"]!.GetValue<string>(), fields);
    }
}
