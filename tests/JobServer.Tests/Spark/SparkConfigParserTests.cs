using System.Text.Json.Nodes;
using JobServer.Spark.Jobs;

namespace JobServer.Tests.Spark;

public sealed class SparkConfigParserTests
{
    [Fact]
    public void Parse_TheSeedsLine_IsADottedPath() =>
        SparkConfigParser.Parse("input.string = a b c a b see").ToJsonString()
            .Should().Be("""{"input":{"string":"a b c a b see"}}""");

    [Fact]
    public void Parse_Lines_KeepTypesCommentsAndMergeObjects()
    {
        var config = SparkConfigParser.Parse("""
            # a comment
            a.b = 1
            a.c : true
            // another
            a.d = "quoted # not a comment"
            cp = ["foo", "bar"]
            a { e = 1 }
            x = 2.5
            """.Replace("a { e = 1 }", "a = {\"e\": 1}", StringComparison.Ordinal));

        config.ToJsonString().Should().Be(
            """{"a":{"b":1,"c":true,"d":"quoted # not a comment","e":1},"cp":["foo","bar"],"x":2.5}""");
    }

    [Fact]
    public void Parse_Blocks_OverSeveralLinesOrOnOne_NestUnderTheirKey()
    {
        var config = SparkConfigParser.Parse("""
            spark.context-settings {
              num-cpu-cores = 2
              inner {
                x = "y"
              }
            }
            other { a = 1, b = true }
            top = {
              k = 3
            }
            """);

        config.ToJsonString().Should().Be(
            """{"spark":{"context-settings":{"num-cpu-cores":2,"inner":{"x":"y"}}},"other":{"a":1,"b":true},"top":{"k":3}}""");
    }

    [Theory]
    [InlineData("a {\nb = 1")]
    [InlineData("}")]
    [InlineData("a {\n}\n}")]
    public void Parse_UnbalancedBlocks_AreRefused(string body)
    {
        var parse = () => SparkConfigParser.Parse(body);

        parse.Should().Throw<FormatException>();
    }

    [Fact]
    public void Parse_Json_IsTakenAsIs() =>
        SparkConfigParser.Parse("""{"input":{"string":"a b"}}""")["input"]!["string"]!.GetValue<string>().Should().Be("a b");

    [Fact]
    public void Parse_LaterKeysWin() =>
        SparkConfigParser.Parse("k = 1\nk = 2")["k"]!.GetValue<long>().Should().Be(2);

    [Theory]
    [InlineData("no separator here")]
    [InlineData("= value")]
    [InlineData("key =")]
    [InlineData("a..b = 1")]
    [InlineData("k = [1, 2")]
    [InlineData("{not json")]
    [InlineData("[1, 2]")]
    [InlineData("""{"a": 1, "a": 2}""")]
    [InlineData("""{"a": {"b": 1, "b": 2}}""")]
    [InlineData("""k = {"x": 1, "x": 2}""")]
    public void Parse_OutsideTheSubset_IsAFormatException(string body) =>
        FluentActions.Invoking(() => SparkConfigParser.Parse(body)).Should().Throw<FormatException>();

    [Fact]
    public void Parse_TooDeepAPath_IsRefused() =>
        FluentActions.Invoking(() => SparkConfigParser.Parse(string.Join('.', Enumerable.Repeat("k", 40)) + " = 1"))
            .Should().Throw<FormatException>();

    [Fact]
    public void Merge_PostedKeysWinAndObjectsMerge()
    {
        var server = (JsonObject)JsonNode.Parse("""{"spark":{"master":"local","cores":2},"keep":1}""")!;
        var posted = (JsonObject)JsonNode.Parse("""{"spark":{"cores":4}}""")!;

        SparkConfigParser.Merge(posted, server).ToJsonString()
            .Should().Be("""{"spark":{"master":"local","cores":4},"keep":1}""");
        server["spark"]!["cores"]!.GetValue<int>().Should().Be(2, "the fallback is not changed");
    }
}
