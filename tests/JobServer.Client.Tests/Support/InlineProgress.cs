namespace JobServer.Client.Tests.Support;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its handler at once on the reporting thread (<see cref="Progress{T}"/>
/// posts to a synchronization context, so a test could see reports after the call returned).
/// </summary>
public sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
