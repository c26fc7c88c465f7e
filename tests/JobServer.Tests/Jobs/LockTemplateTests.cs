using System.Text.Json;
using JobServer.Jobs;
using JobServer.Sdk.Errors;

namespace JobServer.Tests.Jobs;

public sealed class LockTemplateTests
{
    private static string? Resolve(string? template, string arguments) =>
        LockTemplate.Resolve(template, JsonDocument.Parse(arguments).RootElement, "svc_method");

    [Theory]
    [InlineData(null, "[]", null)]
    [InlineData("update", "[]", "update")]
    [InlineData("exec:{0}", """["backup"]""", "exec:backup")]
    [InlineData("copy:{1}", """["/a", "/b"]""", "copy:/b")]
    [InlineData("n:{0}", "[42]", "n:42")]
    [InlineData("exec:{2.lock}", """["c", [], {"lock": "db"}]""", "exec:db")]
    [InlineData("exec:{2.lock?}", """["c", []]""", null)]
    [InlineData("exec:{2.lock?}", """["c", [], {}]""", null)]
    public void Resolve_Template_GivesTheLockName(string? template, string arguments, string? expected) =>
        Resolve(template, arguments).Should().Be(expected);

    [Fact]
    public void Resolve_RequiredPlaceholderMissing_IsAValidationError()
    {
        var resolve = () => Resolve("exec:{0}", "[]");

        resolve.Should().Throw<ValidationException>().Which.Errors[0].Attribute.Should().Be("svc_method");
    }
}
