namespace JobServer.Bench.Infrastructure;

/// <summary>
/// A collection message (<c>added</c>/<c>changed</c>/<c>removed</c>) as the harness needs it: which job, its
/// state and finish time when present, and when it arrived (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).
/// </summary>
internal readonly record struct DdpEvent(string Msg, string? Collection, long Id, string? State, long? TimeFinishedMs, long ReceivedAt);
