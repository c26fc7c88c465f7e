using System.Net;
using JobServer.Auth;
using JobServer.Settings;
using Microsoft.Extensions.Time.Testing;

namespace JobServer.Tests.Auth;

public sealed class AnonymousRateLimiterTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.1");
    private readonly FakeTimeProvider _clock = new();
    private readonly GeneralSettings _settings = new(new GeneralConfig { AnonymousRateLimit = 20, AnonymousRateWindowSeconds = 60 });
    private readonly AnonymousRateLimiter _limiter;

    public AnonymousRateLimiterTests() => _limiter = new AnonymousRateLimiter(_clock, _settings);

    [Fact]
    public void TryAcquire_UpToTheLimit_Passes_TheNextIsRefused()
    {
        for (var i = 0; i < 20; i++)
        {
            _limiter.TryAcquire(Client, "auth.login").Should().BeTrue();
        }

        _limiter.TryAcquire(Client, "auth.login").Should().BeFalse();
    }

    [Fact]
    public void TryAcquire_CountsPerMethodAndPerAddress()
    {
        Exhaust(Client, "auth.login");

        _limiter.TryAcquire(Client, "core.ping").Should().BeTrue();
        _limiter.TryAcquire(IPAddress.Parse("192.0.2.2"), "auth.login").Should().BeTrue();
        _limiter.TryAcquire(Client.MapToIPv6(), "auth.login").Should().BeFalse();
    }

    [Fact]
    public void TryAcquire_WindowOver_StartsAFreshWindow()
    {
        Exhaust(Client, "auth.login");
        _clock.Advance(TimeSpan.FromSeconds(59));
        _limiter.TryAcquire(Client, "auth.login").Should().BeFalse();

        _clock.Advance(TimeSpan.FromSeconds(1));

        _limiter.TryAcquire(Client, "auth.login").Should().BeTrue();
    }

    [Fact]
    public void TryAcquire_SettingsChangedAtRunTime_UsesTheNewLimit()
    {
        _settings.Apply(_settings.Current with { AnonymousRateLimit = 2 });

        _limiter.TryAcquire(Client, "m").Should().BeTrue();
        _limiter.TryAcquire(Client, "m").Should().BeTrue();
        _limiter.TryAcquire(Client, "m").Should().BeFalse();
    }

    [Fact]
    public void TryAcquire_LimitZero_NeverRefuses()
    {
        _settings.Apply(_settings.Current with { AnonymousRateLimit = 0 });

        for (var i = 0; i < 100; i++)
        {
            _limiter.TryAcquire(Client, "m").Should().BeTrue();
        }
    }

    private void Exhaust(IPAddress address, string method)
    {
        while (_limiter.TryAcquire(address, method))
        {
        }
    }
}
