using System.Net;
using System.Text.Json.Nodes;
using JobServer.Auth;
using Microsoft.Extensions.Time.Testing;

namespace JobServer.Tests.Auth;

public sealed class TokenStoreTests
{
    private static readonly IPAddress Here = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress Elsewhere = IPAddress.Parse("10.0.0.2");
    private readonly FakeTimeProvider _clock = new();
    private readonly TokenStore _store;

    public TokenStoreTests() => _store = new TokenStore(_clock);

    [Fact]
    public void Generate_ReturnsDistinctUrlSafeTokensOf48Chars()
    {
        var first = _store.Generate(Info());
        var second = _store.Generate(Info());

        first.Should().MatchRegex("^[A-Za-z0-9_-]{48}$");
        second.Should().NotBe(first);
    }

    [Fact]
    public void TryUse_WithinTtl_GivesTheTokensIdentity()
    {
        var token = _store.Generate(Info(ttlSeconds: 60));
        _clock.Advance(TimeSpan.FromSeconds(59));

        _store.TryUse(token, Here, out var info).Should().BeTrue();

        info.Username.Should().Be("alice");
    }

    [Fact]
    public void TryUse_AfterTtlOfInactivity_Fails()
    {
        var token = _store.Generate(Info(ttlSeconds: 60));
        _clock.Advance(TimeSpan.FromSeconds(60));

        _store.TryUse(token, Here, out _).Should().BeFalse();
        _store.Count.Should().Be(0);
    }

    [Fact]
    public void TryUse_EachUse_PushesTheExpiryBack()
    {
        var token = _store.Generate(Info(ttlSeconds: 60));
        for (var i = 0; i < 5; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(45));
            _store.TryUse(token, Here, out _).Should().BeTrue();
        }

        _clock.Advance(TimeSpan.FromSeconds(61));
        _store.TryUse(token, Here, out _).Should().BeFalse();
    }

    [Fact]
    public void NotifyUsed_KeepsTheTokenOfAnActiveSessionAlive()
    {
        var token = _store.Generate(Info(ttlSeconds: 60));
        _store.TryUse(token, Here, accept: null, out _, out var hash).Should().BeTrue();

        _clock.Advance(TimeSpan.FromSeconds(50));
        _store.NotifyUsed(hash);
        _clock.Advance(TimeSpan.FromSeconds(50));

        _store.TryUse(token, Here, out _).Should().BeTrue();
    }

    [Fact]
    public void TryUse_SingleUse_WorksOnce()
    {
        var token = _store.Generate(Info(singleUse: true));

        _store.TryUse(token, Here, out _).Should().BeTrue();
        _store.TryUse(token, Here, out _).Should().BeFalse();
    }

    [Fact]
    public void TryUse_BoundToAnOrigin_RefusesOtherAddressesWithoutUsingItUp()
    {
        var token = _store.Generate(Info(origin: Here, singleUse: true));

        _store.TryUse(token, Elsewhere, out _).Should().BeFalse();
        _store.TryUse(token, null, out _).Should().BeFalse();
        _store.TryUse(token, Here.MapToIPv6(), out _).Should().BeTrue();
    }

    [Fact]
    public void TryUse_Unbound_AcceptsAnyAddress()
    {
        var token = _store.Generate(Info(origin: null));

        _store.TryUse(token, Elsewhere, out _).Should().BeTrue();
    }

    [Fact]
    public void TryUseForJob_OnlyTheJobTheTokenWasMadeFor()
    {
        var token = _store.Generate(Info(singleUse: true) with { Attributes = new JsonObject { ["job"] = 7 } });

        _store.TryUseForJob(token, Here, 8, out _).Should().BeFalse();
        _store.TryUseForJob(token, Here, 7, out var info).Should().BeTrue();
        info.IsForJob(7).Should().BeTrue();
        _store.TryUseForJob(token, Here, 7, out _).Should().BeFalse();
    }

    [Fact]
    public void RevokeCreatedBy_DestroysOnlyThatSessionsTokens()
    {
        var mine = _store.Generate(Info() with { CreatorSessionId = "s1" });
        var theirs = _store.Generate(Info() with { CreatorSessionId = "s2" });

        _store.RevokeCreatedBy("s1").Should().Be(1);

        _store.TryUse(mine, Here, out _).Should().BeFalse();
        _store.TryUse(theirs, Here, out _).Should().BeTrue();
    }

    [Fact]
    public void RevokeUser_DestroysTheAccountsTokens()
    {
        var token = _store.Generate(Info());

        _store.RevokeUser("alice").Should().Be(1);

        _store.TryUse(token, Here, out _).Should().BeFalse();
    }

    [Fact]
    public void TryUse_UnknownToken_Fails() => _store.TryUse("nope", Here, out _).Should().BeFalse();

    private static TokenInfo Info(int ttlSeconds = 600, IPAddress? origin = null, bool singleUse = false) =>
        new("alice", new HashSet<string> { "READONLY_ADMIN" }, new JsonObject(), "session-1", origin, singleUse,
            TimeSpan.FromSeconds(ttlSeconds));
}
