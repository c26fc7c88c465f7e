using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace JobServer.Tests.Support;

/// <summary>An <see cref="ILogger{T}"/> that keeps what is logged and lets a test wait for a line, instead of sleeping.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();
    private readonly List<(Func<LogLevel, string, bool> Match, TaskCompletionSource Seen)> _waiters = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    /// <summary>Completes when a line at <paramref name="level"/> containing <paramref name="text"/> is (or was) logged.</summary>
    public Task WaitForAsync(LogLevel level, string text)
    {
        bool Match(LogLevel l, string m) => l == level && m.Contains(text, StringComparison.Ordinal);
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (_entries.Any(e => Match(e.Level, e.Message)))
            {
                return Task.CompletedTask;
            }

            _waiters.Add((Match, seen));
        }

        return seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        lock (_waiters)
        {
            _entries.Enqueue((logLevel, message));
            foreach (var waiter in _waiters.Where(w => w.Match(logLevel, message)).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}
