using System.Text.Json.Nodes;

namespace JobServer.Sdk;

/// <summary>Publishes collection events (<c>added</c>, <c>changed</c>, <c>removed</c>) to subscribed sessions.</summary>
public interface IEventPublisher
{
    /// <summary>Sends an event on a collection such as <c>user.query</c>.</summary>
    void Publish(string collection, EventKind kind, JsonNode? id, JsonNode? fields);
}

/// <summary>The kinds of collection events.</summary>
public enum EventKind
{
    /// <summary>An item was added.</summary>
    Added,

    /// <summary>An item changed.</summary>
    Changed,

    /// <summary>An item was removed.</summary>
    Removed,
}

internal sealed class NullEventPublisher : IEventPublisher
{
    public static readonly NullEventPublisher Instance = new();

    public void Publish(string collection, EventKind kind, JsonNode? id, JsonNode? fields)
    {
    }
}
