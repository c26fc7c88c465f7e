using JobServer.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace JobServer.Tests.Jobs;

public sealed class ProgressThrottleTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private int _flushes;

    private ProgressThrottle Create() => new(_time, TimeSpan.FromMilliseconds(250), () => _flushes++);

    [Fact]
    public void Notify_First_FlushesAtOnce()
    {
        using var throttle = Create();

        throttle.Notify();

        _flushes.Should().Be(1);
    }

    [Fact]
    public void Notify_Burst_IsCoalescedIntoOneLaterFlush()
    {
        using var throttle = Create();
        throttle.Notify();
        for (var i = 0; i < 100; i++)
        {
            throttle.Notify();
        }

        _flushes.Should().Be(1);
        _time.Advance(TimeSpan.FromMilliseconds(249));
        _flushes.Should().Be(1);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        _flushes.Should().Be(2, "the last update is flushed after the interval");
    }

    [Fact]
    public void Notify_AfterQuietInterval_FlushesAtOnce()
    {
        using var throttle = Create();
        throttle.Notify();
        _time.Advance(TimeSpan.FromSeconds(1));

        throttle.Notify();

        _flushes.Should().Be(2);
    }

    [Fact]
    public void Dispose_CancelsThePendingFlush()
    {
        var throttle = Create();
        throttle.Notify();
        throttle.Notify();

        throttle.Dispose();
        _time.Advance(TimeSpan.FromSeconds(1));

        _flushes.Should().Be(1);
    }

    [Fact]
    public void Rate_IsAtMostFourPerSecondUnderConstantUpdates()
    {
        using var throttle = Create();
        for (var ms = 0; ms < 1000; ms += 10)
        {
            throttle.Notify();
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        _flushes.Should().BeInRange(4, 5);
    }
}
