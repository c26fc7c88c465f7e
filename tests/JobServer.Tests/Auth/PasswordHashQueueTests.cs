using JobServer.Auth;
using JobServer.Sdk.Errors;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace JobServer.Tests.Auth;

public sealed class PasswordHashQueueTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task TryEnter_SlotsAndQueueTaken_IsRefusedAtOnce_AndTheWaiterGetsTheFreedSlot()
    {
        using var queue = Queue(concurrency: 1, queueLimit: 1);
        var running = await queue.TryEnterAsync(CancellationToken.None);
        var waiting = queue.TryEnterAsync(CancellationToken.None).AsTask();

        var refused = await queue.TryEnterAsync(CancellationToken.None);

        running.Should().NotBeNull();
        waiting.IsCompleted.Should().BeFalse("one may wait for the running hash");
        refused.Should().BeNull("the queue is full: refused without waiting");
        queue.Pending.Should().Be(2);
        running!.Dispose();
        using var next = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        next.Should().NotBeNull();
    }

    [Fact]
    public async Task EstimatedDrain_FollowsTheHashTimeSeen_AtLeastASecond()
    {
        using var queue = Queue(concurrency: 1, queueLimit: 3);
        queue.EstimatedDrain().Should().Be(TimeSpan.FromSeconds(1));

        using (await queue.TryEnterAsync(CancellationToken.None))
        {
            _clock.Advance(TimeSpan.FromMilliseconds(500));
        }

        queue.EstimatedDrain().Should().Be(TimeSpan.FromSeconds(2), "four rounds of half a second");
    }

    [Fact]
    public async Task HashAsync_QueueFull_IsTheRateLimitError()
    {
        using var queue = Queue(concurrency: 1, queueLimit: 0);
        using var held = await queue.TryEnterAsync(CancellationToken.None);

        var refused = async () => await queue.HashAsync("secret", 1000, CancellationToken.None);

        var error = (await refused.Should().ThrowAsync<CallError>()).Which;
        error.Errno.Should().Be(Errno.EBUSY);
        error.Reason.Should().Be("[EBUSY] Rate Limit Exceeded");
        error.Extra!["retry_after"]!.GetValue<int>().Should().Be(1);
    }

    private PasswordHashQueue Queue(int concurrency, int queueLimit) => new(
        Options.Create(new AuthOptions { PasswordHashConcurrency = concurrency, PasswordHashQueueLimit = queueLimit }),
        _clock);
}
