using JobServer.Cluster;

namespace JobServer.Tests.Cluster;

/// <summary>The abort request's payload: what one node sends is what the others read, within NOTIFY's limit.</summary>
public sealed class PostgresJobPeersTests
{
    [Fact]
    public void Payload_ReadBack_TheIdAndTheReasonWithItsNewlines()
    {
        var payload = PostgresJobPeers.Payload(42, "Aborted by root\nbecause");

        PostgresJobPeers.TryParse(payload, out var id, out var reason).Should().BeTrue();

        id.Should().Be(42);
        reason.Should().Be("Aborted by root\nbecause");
    }

    [Fact]
    public void Payload_LongReason_CutBelowNotifysLimit()
    {
        var payload = PostgresJobPeers.Payload(long.MaxValue, new string('é', 10_000));

        System.Text.Encoding.UTF8.GetByteCount(payload).Should().BeLessThan(8000);
        PostgresJobPeers.TryParse(payload, out _, out var reason).Should().BeTrue();
        reason.Should().HaveLength(PostgresJobPeers.MaxReasonLength);
    }

    [Theory]
    [InlineData("")]
    [InlineData("42")]
    [InlineData("x\nreason")]
    [InlineData("-1\nreason")]
    public void TryParse_NotARequest_Refused(string payload) =>
        PostgresJobPeers.TryParse(payload, out _, out _).Should().BeFalse();
}
