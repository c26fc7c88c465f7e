using System.Text.Json.Nodes;
using JobServer.Spark.Contexts;

namespace JobServer.Tests.Spark;

public sealed class SparkContextSettingsTests
{
    private static KeyValuePair<string, string>[] Query(params (string Key, string Value)[] pairs) =>
        [.. pairs.Select(p => KeyValuePair.Create(p.Key, p.Value))];

    [Fact]
    public void From_TheBodysContextSettings_WinOverTheQuery_AsSparksCustomCtx()
    {
        var body = new JsonObject { ["spark"] = new JsonObject { ["context-settings"] = new JsonObject { ["override_me"] = 3, ["max-jobs"] = 4 } } };

        var settings = SparkContextSettings.From(Query(("override_me", "2"), ("num-cpu-cores", "2")), body, queueByDefault: false);

        settings.All["override_me"]!.GetValue<int>().Should().Be(3);
        settings.All["num-cpu-cores"]!.GetValue<string>().Should().Be("2");
        (settings.MaxJobs, settings.CpuCores, settings.QueueWhenFull).Should().Be((4, 2, false));
    }

    [Fact]
    public void From_Nothing_IsTheCoreCountAndTheServersQueueDefault()
    {
        var settings = SparkContextSettings.From([], null, queueByDefault: true);

        (settings.MaxJobs, settings.QueueWhenFull, settings.MemoryMb).Should().Be((Environment.ProcessorCount, true, null));
    }

    [Theory]
    [InlineData("spark.jobserver.max-jobs-per-context", "3", 3)]
    [InlineData("max-jobs", "7", 7)]
    public void From_MaxJobs_UnderEitherName(string key, string value, int expected) =>
        SparkContextSettings.From(Query((key, value)), null, false).MaxJobs.Should().Be(expected);

    [Theory]
    [InlineData("512m", 512)]
    [InlineData("2g", 2048)]
    [InlineData("2GB", 2048)]
    [InlineData("65536k", 64)]
    [InlineData("100", 100)]
    public void From_MemoryPerNode_IsReadInSparksSizes(string size, int mebibytes) =>
        SparkContextSettings.From(Query(("memory-per-node", size)), null, false).MemoryMb.Should().Be(mebibytes);

    [Theory]
    [InlineData("max-jobs", "0")]
    [InlineData("max-jobs", "many")]
    [InlineData("max-jobs", "1001")]
    [InlineData("queue-when-full", "maybe")]
    [InlineData("memory-per-node", "1m")]
    [InlineData("memory-per-node", "lots")]
    [InlineData("num-cpu-cores", "-1")]
    public void From_AMalformedSetting_IsRefusedNamingIt(string key, string value)
    {
        var from = () => SparkContextSettings.From(Query((key, value)), null, false);

        from.Should().Throw<FormatException>().WithMessage($"{key}*");
    }
}
