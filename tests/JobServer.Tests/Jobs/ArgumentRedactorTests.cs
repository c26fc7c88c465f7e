using System.Text.Json;
using JobServer.Jobs;
using JobServer.Registry;
using JobServer.Sdk;

namespace JobServer.Tests.Jobs;

public sealed class ArgumentRedactorTests
{
    private static readonly MethodDescriptor Method = Describe();

    private static MethodDescriptor Describe()
    {
        MethodRegistryBuilder.Build([new RedactedService()]).TryGetMethod("redacted.run", out var method)
            .Should().BeTrue();
        return method;
    }

    private static string Redact(string arguments)
    {
        using var document = JsonDocument.Parse(arguments);
        return ArgumentRedactor.Redact(Method, document.RootElement).ToJsonString();
    }

    [Fact]
    public void Redact_SecretParameter_IsMasked() =>
        Redact("""["alice", "pw", null]""").Should().Be("""["alice","********",null]""");

    [Fact]
    public void Redact_SecretDictionaryProperty_MasksEachValueAndKeepsTheNames() =>
        Redact("""["a", "p", {"env": {"TOKEN": "t0k", "HOME": "/root"}, "cwd": "/srv"}]""")
            .Should().Be("""["a","********",{"env":{"TOKEN":"********","HOME":"********"},"cwd":"/srv"}]""");

    [Fact]
    public void Redact_SecretScalarAndNestedProperties_AreMasked() =>
        Redact("""["a", "p", {"api_key": "k", "inner": {"password": "x", "name": "n"}}]""")
            .Should().Be("""["a","********",{"api_key":"********","inner":{"password":"********","name":"n"}}]""");

    [Namespace("redacted")]
    private sealed class RedactedService : Service
    {
        [Job]
        public string Run(IJobContext job, string user, [Secret] string password, RunOptions? options = null) => user;
    }

    private sealed record RunOptions(
        string? Cwd = null,
        [property: Secret] Dictionary<string, string>? Env = null,
        [property: Secret] string? ApiKey = null,
        Inner? Inner = null);

    private sealed record Inner([property: Secret] string? Password = null, string? Name = null);
}
