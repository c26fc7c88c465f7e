using JobServer.Calls;
using JobServer.Registry;
using JobServer.Sdk;
using JobServer.Sessions;

namespace JobServer.Tests.Registry;

/// <summary>Methods that act on their connection declare it: the registry tells them apart and keeps them off the wire.</summary>
public sealed class LiveSessionParameterTests
{
    [Fact]
    public void Build_MethodTakingALiveSession_NeedsOneAndDoesNotBindItFromTheWire()
    {
        var registry = MethodRegistryBuilder.Build([new ConnectionService()]);

        registry.TryGetMethod("connection.rename", out var rename).Should().BeTrue();
        rename.NeedsLiveSession.Should().BeTrue();
        rename.Parameters[0].Kind.Should().Be(ParameterKind.LiveSession);
        rename.Parameters[1].Kind.Should().Be(ParameterKind.Caller);
        rename.WireParameters.Select(p => p.Name).Should().Equal("name");
        registry.TryGetMethod("connection.whoami", out var whoami).Should().BeTrue();
        whoami.NeedsLiveSession.Should().BeFalse();
    }

    [Fact]
    public void Build_JobTakingALiveSession_IsRefused()
    {
        // A job outlives its call and runs without a connection.
        var build = () => MethodRegistryBuilder.Build([new SessionJobService()]);

        build.Should().Throw<InvalidOperationException>().WithMessage("*cannot take a Caller or an ILiveSession*");
    }

    [Namespace("connection")]
    private sealed class ConnectionService : Service
    {
        public string Rename(ILiveSession session, Caller caller, string name) => name + session.SessionId + caller.SessionId;

        public string? Whoami(ICallContext caller) => caller.Username;
    }

    [Namespace("sessionjob")]
    private sealed class SessionJobService : Service
    {
        [Job]
        public string Run(IJobContext job, ILiveSession session) => session.SessionId;
    }
}
