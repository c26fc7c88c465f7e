using JobServer.Spark;
using JobServer.Spark.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace JobServer.Tests.Spark;

/// <summary>The server's job config (behaviour 14): read from text or a file, merged under every posted config.</summary>
public sealed class SparkServerJobConfigTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("spark-job-config-").FullName;

    [Fact]
    public void Under_PostedKeysWin_NestedObjectsMergeKeyByKey_AndArraysAreReplaced()
    {
        var server = Config(new SparkOptions
        {
            JobConfig = """{"input":{"string":"server"},"spark":{"cores":2,"nested":{"a":1,"b":2}},"jars":["x","y"]}""",
        });

        var merged = server.Under(SparkConfigParser.Parse("spark.nested.b = 3\njars = [\"z\"]\nown = true"));

        merged.ToJsonString().Should().Be(
            """{"input":{"string":"server"},"spark":{"cores":2,"nested":{"a":1,"b":3}},"jars":["z"],"own":true}""");
    }

    [Fact]
    public void Under_LeavesTheServersConfigAsItWas()
    {
        var server = Config(new SparkOptions { JobConfig = "a.b = 1" });

        server.Under(SparkConfigParser.Parse("a.b = 2"));

        server.Under([]).ToJsonString().Should().Be("""{"a":{"b":1}}""");
    }

    [Fact]
    public void Read_TheFileThenTheTextOverIt_InHoconOrJson()
    {
        var file = Path.Combine(_folder, "job.conf");
        File.WriteAllText(file, "# server defaults\nspark.cores = 2\nspark.master = local\n");

        var config = SparkServerJobConfig.Read(new SparkOptions { JobConfigFile = file, JobConfig = """{"spark":{"cores":8}}""" });

        config.ToJsonString().Should().Be("""{"spark":{"cores":8,"master":"local"}}""");
    }

    [Fact]
    public void Read_NothingSet_IsEmpty() =>
        SparkServerJobConfig.Read(new SparkOptions()).ToJsonString().Should().Be("{}");

    [Theory]
    [InlineData("not a config", null, "JobServer:Spark:JobConfig cannot be parsed")]
    [InlineData(null, "missing.conf", "does not exist")]
    public void Read_AnUnreadableSetting_NamesIt(string? text, string? file, string message) =>
        FluentActions.Invoking(() => SparkServerJobConfig.Read(new SparkOptions
            {
                JobConfig = text, JobConfigFile = file is null ? null : Path.Combine(_folder, file),
            }))
            .Should().Throw<FormatException>().WithMessage($"*{message}*");

    [Fact]
    public void Read_AFileLargerThanMaxConfigBytes_IsRefused()
    {
        var file = Path.Combine(_folder, "big.conf");
        File.WriteAllText(file, "k = " + new string('x', 200));

        FluentActions.Invoking(() => SparkServerJobConfig.Read(new SparkOptions { JobConfigFile = file, MaxConfigBytes = 100 }))
            .Should().Throw<FormatException>().WithMessage("*larger than MaxConfigBytes*");
    }

    [Fact]
    public void Validation_RefusesABadConfig_AndAnObjectWrittenAsASection()
    {
        var empty = new ConfigurationBuilder().Build();
        var section = new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { ["JobServer:Spark:JobConfig:input:string"] = "a b" }).Build();

        new SparkServerJobConfigValidation(empty).Validate(null, new SparkOptions { JobConfig = "a = 1" }).Succeeded.Should().BeTrue();
        new SparkServerJobConfigValidation(empty).Validate(null, new SparkOptions { JobConfig = "{bad" })
            .FailureMessage.Should().Contain("JobServer:Spark:JobConfig cannot be parsed");
        new SparkServerJobConfigValidation(section).Validate(null, new SparkOptions())
            .FailureMessage.Should().Contain("not a section");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static SparkServerJobConfig Config(SparkOptions options) => new(Options.Create(options));
}
