namespace JobServer.Cluster;

/// <summary>
/// One <c>NOTIFY</c> channel the nodes of a cluster talk on, and what this node does with it
/// (<see cref="PostgresListener"/> holds the one connection that listens on all of them).
/// </summary>
internal interface IClusterNotificationHandler
{
    /// <summary>The channel's name (an SQL identifier: lower case, no quoting needed).</summary>
    string Channel { get; }

    /// <summary>A notification arrived. Called on the listener's loop: it must not block.</summary>
    void OnNotification(string payload);

    /// <summary>
    /// The node listens (again): whatever was notified while it did not was lost, so catch up from the database.
    /// Must not block either.
    /// </summary>
    void OnListening();
}
