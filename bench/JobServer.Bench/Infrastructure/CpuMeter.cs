using System.Diagnostics;

namespace JobServer.Bench.Infrastructure;

/// <summary>
/// Adds up the CPU time the daemon (or another server process) and this harness spend while work items are
/// measured, per item. Unlike a rate, CPU time per item hardly moves when other load shares the machine, so it
/// shows what a change saved.
/// </summary>
/// <param name="serverName">What <see cref="Describe"/> calls the server process.</param>
internal sealed class CpuMeter(int daemonProcessId, string serverName = "daemon")
{
    private readonly int _daemonProcessId = daemonProcessId;
    private int? _childProcessId;
    private string _childName = "";
    private TimeSpan _child;
    private TimeSpan _daemon;
    private TimeSpan _children;
    private TimeSpan _harness;
    private long _items;

    /// <summary>
    /// Also measures a live child of the daemon (a Spark context's worker process), whose CPU time the daemon's
    /// own figure leaves out and which is reaped only when it ends.
    /// </summary>
    public void AlsoMeasure(string name, int processId)
    {
        _childName = name;
        _childProcessId = processId;
    }

    /// <summary>Forgets what was measured so far (the warm-up).</summary>
    public void Reset()
    {
        _daemon = _children = _harness = _child = TimeSpan.Zero;
        _items = 0;
    }

    /// <summary>Measures until disposed, counting <paramref name="items"/> items.</summary>
    public IDisposable Measure(long items) => new Span(this, items);

    /// <summary>
    /// "daemon 41 µs + harness 12 µs" (with "+ its commands 9 µs" when the daemon ran processes), or "n/a" before
    /// anything was measured.
    /// </summary>
    public string Describe() => _items == 0
        ? "n/a"
        : $"{serverName} {PerItem(_daemon)}{(_childProcessId is null ? "" : $" + {_childName} {PerItem(_child)}")}{(_children > TimeSpan.Zero ? $" + its commands {PerItem(_children)}" : "")} + harness {PerItem(_harness)}";

    private string PerItem(TimeSpan time) => $"{time.TotalMicroseconds / _items:N0} µs";

    private static TimeSpan DaemonTime(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime;
        }
        catch (ArgumentException)
        {
            return TimeSpan.Zero; // The daemon is gone; the round fails on its own.
        }
    }

    private static TimeSpan HarnessTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private sealed class Span : IDisposable
    {
        private readonly CpuMeter _meter;
        private readonly long _items;
        private readonly TimeSpan _daemonStart;
        private readonly TimeSpan _childStart;
        private readonly TimeSpan _childrenStart;
        private readonly TimeSpan _harnessStart;

        public Span(CpuMeter meter, long items)
        {
            _meter = meter;
            _items = items;
            _daemonStart = DaemonTime(meter._daemonProcessId);
            _childStart = meter._childProcessId is { } child ? DaemonTime(child) : TimeSpan.Zero;
            _childrenStart = ProcessCpu.ReapedChildren(meter._daemonProcessId);
            _harnessStart = HarnessTime();
        }

        public void Dispose()
        {
            _meter._daemon += DaemonTime(_meter._daemonProcessId) - _daemonStart;
            _meter._child += _meter._childProcessId is { } child ? DaemonTime(child) - _childStart : TimeSpan.Zero;
            _meter._children += ProcessCpu.ReapedChildren(_meter._daemonProcessId) - _childrenStart;
            _meter._harness += HarnessTime() - _harnessStart;
            _meter._items += _items;
        }
    }
}
