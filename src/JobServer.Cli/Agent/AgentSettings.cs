namespace JobServer.Cli.Agent;

/// <summary>What <c>jobctl agent</c> was told: whom it stands for, where the device's API is, where it remembers.</summary>
/// <param name="Destination">The destination id it registers (a MAC address, say).</param>
/// <param name="Forward">The device's local API; every task's resource is a path under it.</param>
/// <param name="StateDirectory">Where the file of performed tasks lives.</param>
/// <param name="RequestTimeout">How long one request to the device may take.</param>
internal sealed record AgentSettings(string Destination, Uri Forward, string StateDirectory, TimeSpan RequestTimeout)
{
    /// <summary>The collection the daemon pushes this agent's tasks on.</summary>
    public const string TaskCollection = "batch.agent.task";
}
