using System.Text;
using System.Text.Json;
using JobServer.Calls;
using JobServer.Protocol;
using JobServer.Protocol.JsonRpc;
using JobServer.Sdk.Errors;

namespace JobServer.Tests.Protocol;

public sealed class JsonRpcMessagesTests
{
    private static readonly byte[] Id = "\"x\""u8.ToArray();

    private static JsonElement Parse(byte[] message) => JsonDocument.Parse(message).RootElement;

    [Fact]
    public void Answer_UnserializableResult_IsInternalErrorWithEfault()
    {
        var message = Parse(JsonRpcMessages.Answer(Id, CallOutcome.Success(typeof(int), typeof(Type))));

        var error = message.GetProperty("error");
        error.GetProperty("code").GetInt32().Should().Be(-32603);
        error.GetProperty("message").GetString().Should().Be("Failed to JSON serialize server message");
        error.GetProperty("data").GetProperty("error").GetInt32().Should().Be(14);
        message.GetProperty("id").GetString().Should().Be("x");
    }

    [Fact]
    public void Answer_NaNResult_IsInternalErrorInsteadOfAFault()
    {
        var message = Parse(JsonRpcMessages.Answer(Id, CallOutcome.Success(double.NaN, typeof(double))));

        message.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32603);
    }

    [Fact]
    public void Answer_ValidationError_IsInvalidParamsWithErrno22WhateverTheDdpErrno()
    {
        var failure = ErrorMapper.FromException(new InstanceNotFoundException("User 5 does not exist"));

        var error = Parse(JsonRpcMessages.Answer(Id, CallOutcome.Failure(failure))).GetProperty("error");

        failure.Errno.Should().Be(2);
        error.GetProperty("code").GetInt32().Should().Be(-32602);
        error.GetProperty("data").GetProperty("error").GetInt32().Should().Be(22);
        error.GetProperty("data").GetProperty("errname").GetString().Should().Be("EINVAL");
        error.GetProperty("data").GetProperty("extra")[0][2].GetInt32().Should().Be(2);
    }

    [Fact]
    public void Answer_MatchNotFound_IsMethodCallErrorWithEinval()
    {
        var failure = ErrorMapper.FromException(new MatchNotFoundException());

        var error = Parse(JsonRpcMessages.Answer(Id, CallOutcome.Failure(failure))).GetProperty("error");

        error.GetProperty("code").GetInt32().Should().Be(-32001);
        error.GetProperty("data").GetProperty("error").GetInt32().Should().Be(22);
        error.GetProperty("data").GetProperty("reason").GetString().Should().Be("MatchNotFound()");
    }

    [Fact]
    public void Result_BigIntegerId_IsWrittenVerbatim()
    {
        var id = "123456789012345678901234567890"u8.ToArray();

        var message = Encoding.UTF8.GetString(JsonRpcMessages.Answer(id, CallOutcome.Success("pong", typeof(string))));

        message.Should().Be("""{"jsonrpc":"2.0","id":123456789012345678901234567890,"result":"pong"}""");
    }
}
