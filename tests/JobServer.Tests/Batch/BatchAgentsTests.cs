using System.Net;
using JobServer.Batch;
using JobServer.Protocol;
using JobServer.Sdk.Errors;
using JobServer.Sessions;
using JobServer.Tests.Config;
using Microsoft.Extensions.Time.Testing;

namespace JobServer.Tests.Batch;

/// <summary>The agent registry of issue 16: one live agent per destination, one destination per connection.</summary>
public sealed class BatchAgentsTests
{
    private readonly SessionRegistry _sessions = new();
    private readonly BatchAgents _agents;

    public BatchAgentsTests() => _agents = new BatchAgents(_sessions, new FakeTimeProvider());

    [Fact]
    public void SecondAgentForADestination_IsBusy_UntilTheFirstConnectionEnds()
    {
        var first = Connect();
        var second = Connect();
        _agents.Register(first, "dev-1");

        var busy = () => _agents.Register(second, "dev-1");

        busy.Should().Throw<CallError>().Which.Errno.Should().Be(Errno.EBUSY);
        _sessions.Remove(first);
        _agents.Register(second, "dev-1").Session.Should().BeSameAs(second);
        _agents.TryGet("dev-1", out var agent).Should().BeTrue();
        agent.Session.Should().BeSameAs(second);
    }

    [Fact]
    public void OneConnection_IsTheAgentOfOneDestination_AndRegisteringAgainStartsAfresh()
    {
        var session = Connect();
        var before = _agents.Register(session, "dev-2");
        before.OfferedTaskId = 7;

        var other = () => _agents.Register(session, "dev-3");
        var again = _agents.Register(session, "dev-2");

        other.Should().Throw<CallError>().Which.Errno.Should().Be(Errno.EINVAL);
        again.OfferedTaskId.Should().BeNull("a new registration offers the unanswered task again");
        _agents.OfSession(session).Should().BeSameAs(again);
    }

    [Fact]
    public void UnregisteredConnection_IsRefused()
    {
        var call = () => _agents.OfSession(Connect());

        call.Should().Throw<CallError>().Which.Errno.Should().Be(Errno.EINVAL);
    }

    private Session Connect()
    {
        var session = new Session(Guid.NewGuid().ToString("N"), IPAddress.Loopback, NullTransport.Instance);
        _sessions.Add(session);
        return session;
    }
}
