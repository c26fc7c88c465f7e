using System.Net;
using JobServer.Auth;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace JobServer.Tests.Auth;

public sealed class SignInThrottleTests
{
    private static readonly IPAddress Guesser = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Colleague = IPAddress.Parse("192.0.2.2");
    private readonly FakeTimeProvider _clock = new();
    private readonly SignInThrottle _throttle;

    // The shipped defaults: 5 failures per account, 20 per address, 1 s doubling up to 900 s.
    public SignInThrottleTests() => _throttle = new SignInThrottle(Options.Create(new AuthOptions()), _clock);

    [Fact]
    public void RecordFailure_FreeFailuresUsed_TheNextBacksOffOneSecond()
    {
        Fail("root", Guesser, 5);
        _throttle.RetryAfter("root", Guesser).Should().BeNull("five wrong passwords are free");

        _throttle.RecordFailure("root", Guesser).Should().Be(TimeSpan.FromSeconds(1));

        _throttle.RetryAfter("root", Guesser).Should().Be(TimeSpan.FromSeconds(1));
        _throttle.RetryAfter("root", Colleague).Should().Be(TimeSpan.FromSeconds(1), "the account backs off from anywhere");
        _throttle.RetryAfter("alice", Guesser).Should().BeNull("the address has failures to spare");
        _clock.Advance(TimeSpan.FromSeconds(1));
        _throttle.RetryAfter("root", Guesser).Should().BeNull();
    }

    [Fact]
    public void RecordFailure_BeyondTheFree_DoublesUpToTheLockoutWindow()
    {
        Fail("root", Guesser, 5);
        var backoffs = Enumerable.Range(0, 12).Select(_ =>
        {
            var backoff = _throttle.RecordFailure("root", Guesser)!.Value;
            _clock.Advance(backoff);
            return backoff.TotalSeconds;
        }).ToArray();

        backoffs.Should().Equal(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900);
    }

    [Fact]
    public void RecordSuccess_ForgivesTheAccount_NotTheAddress()
    {
        Fail("root", Guesser, 4);
        Fail("mine", Guesser, 15);

        _throttle.RecordSuccess("root");

        Fail("root", Guesser, 1);
        _throttle.RetryAfter("root", Guesser).Should().BeNull("root's count started again");
        _throttle.RecordFailure("other", Guesser).Should().Be(TimeSpan.FromSeconds(1),
            "the address's 21st failure backs off although its own account signed in");
    }

    [Fact]
    public void RetryAfter_AddressBackingOff_BlocksEveryAccountFromIt_OnlyForItsBackoff()
    {
        foreach (var n in Enumerable.Range(0, 21))
        {
            _throttle.RecordFailure($"user{n}", Guesser);
        }

        _throttle.RetryAfter("root", Guesser).Should().Be(TimeSpan.FromSeconds(1));
        _throttle.RetryAfter("root", Colleague).Should().BeNull("root itself has no failures");
        _throttle.RetryAfter(null, Guesser).Should().Be(TimeSpan.FromSeconds(1), "keys and tokens back off too");
        _clock.Advance(TimeSpan.FromSeconds(1));
        _throttle.RetryAfter("root", Guesser).Should().BeNull("another account's failures block only for the back-off");
    }

    [Fact]
    public void RecordFailure_LockoutWindowAfterTheLastBackoff_IsForgotten()
    {
        Fail("root", Guesser, 6);
        _clock.Advance(TimeSpan.FromSeconds(1) + TimeSpan.FromSeconds(899));
        _throttle.RecordFailure("root", Guesser).Should().Be(TimeSpan.FromSeconds(2), "not yet forgiven");
        _clock.Advance(TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(900));

        Fail("root", Guesser, 5);

        _throttle.RetryAfter("root", Guesser).Should().BeNull("a window after its back-off, the account starts afresh");
    }

    [Fact]
    public void RecordFailure_Ipv6_CountsPerSlash64()
    {
        foreach (var n in Enumerable.Range(1, 21))
        {
            _throttle.RecordFailure(null, IPAddress.Parse($"2001:db8:1:2::{n:x}"));
        }

        _throttle.RetryAfter(null, IPAddress.Parse("2001:db8:1:2:ffff::1")).Should().Be(TimeSpan.FromSeconds(1));
        _throttle.RetryAfter(null, IPAddress.Parse("2001:db8:1:3::1")).Should().BeNull();
        _throttle.RetryAfter(null, Guesser.MapToIPv6()).Should().BeNull();
    }

    [Fact]
    public void RecordFailure_MappedIpv4_IsTheSameClient()
    {
        Fail(null, Guesser.MapToIPv6(), 21);

        _throttle.RetryAfter(null, Guesser).Should().NotBeNull();
    }

    private void Fail(string? account, IPAddress address, int times)
    {
        for (var i = 0; i < times; i++)
        {
            _throttle.RecordFailure(account, address);
        }
    }
}
