using System.Text;
using JobServer.Protocol.Inbound;

namespace JobServer.Tests.Protocol;

public sealed class InboundJsonTests
{
    private static InboundMessage Parse(string json) => InboundJson.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parse_WellFormedMessage_HasNoProblem()
    {
        using var message = Parse("""{"msg":"method","id":"1","method":"core.ping","params":[{"a":[1,{"b":"é"}]}]}""");

        message.SyntaxError.Should().BeNull();
        message.Problem.Should().BeNull();
        message.Document.Should().NotBeNull();
    }

    [Fact]
    public void Parse_NotJson_IsASyntaxError()
    {
        using var message = Parse("{not json");

        message.Document.Should().BeNull();
        message.SyntaxError.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void Parse_InvalidUtf8InAString_IsASyntaxError()
    {
        byte[] payload = [.. "{\"msg\":\""u8, 0xFF, 0xFE, .. "\"}"u8];

        using var message = InboundJson.Parse(payload);

        message.Document.Should().BeNull();
        message.SyntaxError.Should().Be("The message is not valid UTF-8");
    }

    [Theory]
    [InlineData("""{"msg":"\ud800"}""", "msg")]
    [InlineData("""{"msg":"method","id":"\udfff"}""", "id")]
    [InlineData("""{"jsonrpc":"2.0","method":"a\ud800b"}""", "method")]
    [InlineData("""{"msg":"connect","version":"\ud800"}""", "version")]
    public void Parse_LoneSurrogateInTheEnvelope_IsAProblemAtThatMember(string json, string member)
    {
        using var message = Parse(json);

        message.Problem.Should().NotBeNull();
        message.Problem!.Member.Should().Be(member);
        message.Problem.IsInParameters.Should().BeFalse();
        message.Problem.Message.Should().Contain("lone surrogate");
    }

    [Fact]
    public void Parse_LoneSurrogateInATopLevelKey_IsAProblemOfTheMessage()
    {
        using var message = Parse("""{"msg":"ping","\ud800":1}""");

        message.Problem!.Member.Should().BeNull();
        message.IsSound("msg").Should().BeFalse();
    }

    [Fact]
    public void Parse_SeveralProblems_TellsWhichMembersAreSound()
    {
        using var message = Parse("""{"msg":"method","id":"\ud800","method":"core.ping","params":[{"a":1,"a":2}]}""");

        message.IsSound("msg").Should().BeTrue();
        message.IsSound("id").Should().BeFalse();
        message.ParametersOnlyProblem.Should().BeNull();
    }

    [Fact]
    public void Parse_ProblemsOnlyInParams_AreParametersOnly()
    {
        using var message = Parse("""{"id":"1","method":"core.ping","params":[{"a":1,"a":2},"\ud800"]}""");

        message.IsSound("id").Should().BeTrue();
        message.ParametersOnlyProblem!.ParameterIndex.Should().Be(0);
        message.Problems.Should().HaveCount(2);
    }

    [Fact]
    public void Parse_ValidSurrogatePair_IsFine()
    {
        using var message = Parse("""{"msg":"\ud83d\ude00"}""");

        message.Problem.Should().BeNull();
    }

    [Fact]
    public void Parse_LoneSurrogateInsideParams_NamesTheParameterAndPath()
    {
        using var message = Parse("""{"method":"x.y","params":[1,{"data":{"names":["ok","\ud800"]}}]}""");

        message.Problem!.ParameterIndex.Should().Be(1);
        message.Problem.InnerPath.Should().Be(".data.names[1]");
    }

    [Fact]
    public void Parse_DuplicateTopLevelKey_IsAnEnvelopeProblemAtThatKey()
    {
        using var message = Parse("""{"msg":"method","id":"1","id":"2"}""");

        message.Problem!.Member.Should().Be("id");
        message.Problem.IsInParameters.Should().BeFalse();
        message.Problem.Message.Should().Be("Duplicate key 'id'");
    }

    [Fact]
    public void Parse_DuplicateKeyDeepInParams_NamesTheParameterAndPath()
    {
        using var message = Parse("""{"params":[{"data":{"a":1,"b":{"c":1,"c":2}}}]}""");

        message.Problem!.ParameterIndex.Should().Be(0);
        message.Problem.InnerPath.Should().Be(".data.b.c");
        message.Problem.Message.Should().Be("Duplicate key 'c'");
    }

    [Fact]
    public void Parse_DuplicateKeyInAParameterObject_NamesTheKey()
    {
        using var message = Parse("""{"params":["x",{"a":1,"a":1}]}""");

        message.Problem!.ParameterIndex.Should().Be(1);
        message.Problem.InnerPath.Should().Be(".a");
    }

    [Fact]
    public void Parse_SameKeyInSiblingObjects_IsFine()
    {
        using var message = Parse("""{"params":[{"a":1},{"a":2,"b":{"a":3}}]}""");

        message.Problem.Should().BeNull();
    }

    [Fact]
    public void Parse_DuplicateKeyWhenParamsIsAnObject_IsAnEnvelopeProblem()
    {
        using var message = Parse("""{"params":{"a":1,"a":2}}""");

        message.Problem!.Member.Should().Be("params");
        message.Problem.IsInParameters.Should().BeFalse();
    }

    [Fact]
    public void Parse_KeysThatDifferOnlyByEscaping_AreDuplicates()
    {
        using var message = Parse("""{"id":"1","\u0069d":"2"}""");

        message.Problem!.Member.Should().Be("id");
    }

    [Fact]
    public void Parse_LongDuplicateKey_IsQuotedShort()
    {
        var key = new string('k', 500);
        using var message = Parse($$"""{"{{key}}":1,"{{key}}":2}""");

        message.Problem!.Message.Length.Should().BeLessThan(100);
    }
}
