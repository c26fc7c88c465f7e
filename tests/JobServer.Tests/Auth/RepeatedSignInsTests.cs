using System.Net;
using JobServer.Audit;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace JobServer.Tests.Auth;

public sealed class RepeatedSignInsTests
{
    private static readonly IPAddress Here = IPAddress.Parse("10.0.0.1");
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void OneCredentialFromOneAddress_IsRecordedOncePerWindow()
    {
        var signIns = SignIns(windowSeconds: 60);

        signIns.IsFirstInWindow("root", "API_KEY", 7, Here).Should().BeTrue();
        signIns.IsFirstInWindow("root", "API_KEY", 7, Here).Should().BeFalse();
        _clock.Advance(TimeSpan.FromSeconds(59));
        signIns.IsFirstInWindow("root", "API_KEY", 7, Here).Should().BeFalse();
        _clock.Advance(TimeSpan.FromSeconds(1));
        signIns.IsFirstInWindow("root", "API_KEY", 7, Here).Should().BeTrue();
    }

    [Fact]
    public void AnotherKeyAddressOrCredential_IsItsOwnFirst()
    {
        var signIns = SignIns(windowSeconds: 60);
        signIns.IsFirstInWindow("root", "API_KEY", 7, Here).Should().BeTrue();

        signIns.IsFirstInWindow("root", "API_KEY", 8, Here).Should().BeTrue();
        signIns.IsFirstInWindow("root", "API_KEY", 7, IPAddress.Parse("10.0.0.2")).Should().BeTrue();
        signIns.IsFirstInWindow("root", "LOGIN_PASSWORD", null, Here).Should().BeTrue();
        signIns.IsFirstInWindow("alice", "LOGIN_PASSWORD", null, Here).Should().BeTrue();
    }

    [Fact]
    public void ZeroSeconds_RecordsEveryOne()
    {
        var signIns = SignIns(windowSeconds: 0);

        signIns.IsFirstInWindow("root", "API_KEY", 7, Here).Should().BeTrue();
        signIns.IsFirstInWindow("root", "API_KEY", 7, Here).Should().BeTrue();
    }

    [Fact]
    public void Full_ForgetsExpiredCredentials_AndRecordsTheRest()
    {
        var signIns = SignIns(windowSeconds: 60);
        for (var key = 0; key < RepeatedSignIns.Capacity; key++)
        {
            signIns.IsFirstInWindow("root", "API_KEY", key, Here);
        }

        signIns.IsFirstInWindow("root", "API_KEY", -1, Here).Should().BeTrue();
        signIns.IsFirstInWindow("root", "API_KEY", -1, Here).Should().BeTrue("nothing could be forgotten yet");
        _clock.Advance(TimeSpan.FromSeconds(60));
        signIns.IsFirstInWindow("root", "API_KEY", -1, Here).Should().BeTrue();
        signIns.IsFirstInWindow("root", "API_KEY", -1, Here).Should().BeFalse("the expired ones made room");
    }

    private RepeatedSignIns SignIns(int windowSeconds) =>
        new(Options.Create(new AuditOptions { RepeatedSignInSeconds = windowSeconds }), _clock);
}
