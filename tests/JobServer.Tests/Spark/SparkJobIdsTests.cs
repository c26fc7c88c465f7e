using JobServer.Spark.Jobs;

namespace JobServer.Tests.Spark;

public sealed class SparkJobIdsTests
{
    [Theory]
    [InlineData(1L)]
    [InlineData(42L)]
    [InlineData(0xFFFF_FFFF_FFFFL)]
    public void ASparkId_IsAUuid_ThatParsesBackToItsJobId(long jobId)
    {
        var sparkId = SparkJobIds.ToSpark(jobId);

        Guid.TryParse(sparkId, out _).Should().BeTrue();
        SparkJobIds.TryParse(sparkId, out var parsed).Should().BeTrue();
        parsed.Should().Be(jobId);
        SparkJobIds.TryParse(sparkId.ToUpperInvariant(), out _).Should().BeTrue();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("5453779a-f004-45fc-a11d-a39dae0f9bf4")]
    [InlineData("00000000-0000-8000-8000-000000000000")]
    [InlineData("00000000-0000-8000-8000-00000000000g")]
    [InlineData("00000000-0000-8000-8000-0000000000001")]
    [InlineData("00000000-0000-8000-8000--00000000001")]
    public void AnythingElse_IsNoJob(string? sparkId) =>
        SparkJobIds.TryParse(sparkId, out _).Should().BeFalse();

    [Fact]
    public void AnAdHocContext_IsNamedAfterTheIdsTailAndTheClass() =>
        SparkJobIds.AdHocContextName(SparkJobIds.ToSpark(0x2a), "a.B").Should().Be("0000002a-a.B");
}
