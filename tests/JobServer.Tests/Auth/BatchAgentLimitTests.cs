using System.Net;
using JobServer.Auth;
using JobServer.Calls;
using JobServer.Registry;
using JobServer.Sdk;

namespace JobServer.Tests.Auth;

/// <summary>BATCH_AGENT is a limit, not a grant (issue 16): the access check and role narrowing keep it so.</summary>
public sealed class BatchAgentLimitTests
{
    private static readonly MethodAccess AgentMethod = new(IsPrivate: false, NoAuth: false, Roles: [Role.BatchAgent]);
    private static readonly MethodAccess AnyUserMethod = new(IsPrivate: false, NoAuth: false, Roles: [Role.Authenticated]);
    private static readonly MethodAccess NoAuthMethod = new(IsPrivate: false, NoAuth: true, Roles: []);

    [Fact]
    public void AgentMethods_AreRefusedToAFullAdmin()
    {
        AgentMethod.Allows(Signed(Role.FullAdmin)).Should().BeFalse();
        AgentMethod.Allows(Signed()).Should().BeFalse();
        AgentMethod.Allows(Signed(Role.BatchAgent)).Should().BeTrue();
    }

    [Fact]
    public void AnAgent_GetsNothingBeyondAgentAndNoAuthMethods()
    {
        AnyUserMethod.Allows(Signed(Role.BatchAgent)).Should().BeFalse();
        AnyUserMethod.Allows(Signed(Role.BatchAgent, Role.FullAdmin)).Should().BeFalse("the limit wins over any grant");
        NoAuthMethod.Allows(Signed(Role.BatchAgent)).Should().BeTrue();
        AnyUserMethod.Allows(Signed()).Should().BeTrue();
    }

    [Fact]
    public void Narrow_NeverLiftsTheLimit_WhenTheOwnerLosesTheRightToGrantIt()
    {
        KnownRoles.Narrow([Role.BatchAgent], new HashSet<string>()).Should().Equal(Role.BatchAgent);
        KnownRoles.Narrow([Role.BatchAgent], new HashSet<string> { Role.FullAdmin }).Should().Equal(Role.BatchAgent);
    }

    private static Caller Signed(params string[] roles) => new("s1", "root", roles, "API_KEY", IPAddress.Loopback);
}
