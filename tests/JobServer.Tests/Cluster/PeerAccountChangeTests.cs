using JobServer.Auth;
using JobServer.Cluster;

namespace JobServer.Tests.Cluster;

public sealed class PeerAccountChangeTests
{
    [Fact]
    public void FormatThenParse_GivesTheSameChange()
    {
        var change = new AccountChange("alice", "alicia", new HashSet<string>(["FULL_ADMIN"], StringComparer.Ordinal),
            new HashSet<string>(["READONLY_ADMIN"], StringComparer.Ordinal), Locked: true, PasswordChanged: true);

        var parsed = PeerAccountChange.Parse(PeerAccountChange.Format(change))!;

        parsed.Username.Should().Be("alice");
        parsed.NewUsername.Should().Be("alicia");
        parsed.PreviousRoles.Should().BeEquivalentTo(["FULL_ADMIN"]);
        parsed.Roles.Should().BeEquivalentTo(["READONLY_ADMIN"]);
        (parsed.Locked, parsed.PasswordChanged, parsed.Deleted).Should().Be((true, true, false));
        parsed.Demoted.Should().BeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"Username\": \"alice\"}")]
    [InlineData("[1, 2]")]
    public void Parse_OfSomethingElse_IsNull(string payload) => PeerAccountChange.Parse(payload).Should().BeNull();
}
