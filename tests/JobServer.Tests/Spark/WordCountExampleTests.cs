using System.Text.Json;
using JobServer.Sdk;
using JobServer.Sdk.Spark;
using JobServer.Spark.Jobs;
using JobServer.Tests.Support;
using spark.jobserver;

namespace JobServer.Tests.Spark;

/// <summary>The example job against the SDK contract, with the config read by the daemon's own parser.</summary>
public sealed class WordCountExampleTests
{
    private static readonly ISparkJobContext Context = new FakeContext();

    [Fact]
    public async Task TheSeedsInput_CountsEachWord()
    {
        var job = new WordCountExample();
        var validation = job.Validate(Context, new SparkConfig(SparkConfigParser.Parse("input.string = a b c a b see")));

        validation.IsValid.Should().BeTrue();
        var result = await job.RunAsync(Context, validation.Input);
        JsonSerializer.Serialize(result).Should().Be("""{"a":2,"b":2,"c":1,"see":1}""");
    }

    [Fact]
    public void NoInputString_IsAValidationProblem()
    {
        var validation = new WordCountExample().Validate(Context, new SparkConfig(SparkConfigParser.Parse("other = 1")));

        validation.IsValid.Should().BeFalse();
        validation.Problems.Should().Equal("No input.string config param");
    }

    [Fact]
    public void SparkConfig_ReadsNumbersAsText_AndMissingPathsAsNull()
    {
        var config = new SparkConfig(SparkConfigParser.Parse("a.b = 3\na.c = x"));

        config.GetString("a.b").Should().Be("3");
        config.GetString("a.c").Should().Be("x");
        config.HasPath("a.d").Should().BeFalse();
        config.GetString("a.b.c").Should().BeNull();
    }

    [Fact]
    public async Task Execution_RunsAValidJob_ToItsJsonResult()
    {
        var result = await SparkJobExecution.RunAsync(new WordCountExample(), Context,
            SparkConfigParser.Parse("input.string = a b c a b see"));

        result!.ToJsonString().Should().Be("""{"a":2,"b":2,"c":1,"see":1}""");
    }

    [Fact]
    public async Task Execution_ARefusedConfig_IsValidationFailed()
    {
        var run = () => SparkJobExecution.RunAsync(new WordCountExample(), Context, SparkConfigParser.Parse("x = 1"));

        (await run.Should().ThrowAsync<SparkValidationFailedException>())
            .Which.Problems.Should().Equal("No input.string config param");
    }

    [Fact]
    public void Invalid_WithoutProblems_IsRefused() =>
        FluentActions.Invoking(() => SparkValidation.Invalid()).Should().Throw<ArgumentException>();

    private sealed class FakeContext : ISparkJobContext
    {
        public string JobId => "job-1";

        public string ContextName => "<<ad-hoc>>";

        public IJobContext Job { get; } = new FakeJobContext();
    }
}
