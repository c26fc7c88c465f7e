using System.Text.Json;
using JobServer.Jobs;
using JobServer.Registry;
using JobServer.Sdk;

namespace JobServer.Tests.Jobs;

public sealed class CallFoldingTests
{
    private static readonly MethodRegistry Registry = MethodRegistryBuilder.Build([new FoldService()]);

    private static MethodDescriptor Method(string name)
    {
        Registry.TryGetMethod(name, out var method).Should().BeTrue();
        return method;
    }

    private static JobRequest Waiting(string method, string arguments, string owner) => new(
        Method(method), [], JsonDocument.Parse(arguments).RootElement.Clone(), [], "l", null,
        new JobCaller("s", owner, [Role.FullAdmin], null), null);

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public void IsSameCall_SameMethodEqualArgumentsSameOwner_Folds() =>
        CallFolding.IsSameCall(Waiting("fold.run", """["sleep", {"a": 1, "b": 2.0}]""", "root"),
            Method("fold.run"), Json("""["sleep", {"b": 2, "a": 1.0}]"""), "root").Should().BeTrue();

    [Theory]
    [InlineData("fold.run", """["echo", {"a": 1, "b": 2}]""", "root")]
    [InlineData("fold.run", """["sleep", {"a": 1, "b": 3}]""", "root")]
    [InlineData("fold.run", """["sleep", {"a": 1, "b": 2}]""", "admin2")]
    [InlineData("fold.other", """["sleep", {"a": 1, "b": 2}]""", "root")]
    public void IsSameCall_AnyDifference_DoesNotFold(string method, string arguments, string owner) =>
        CallFolding.IsSameCall(Waiting("fold.run", """["sleep", {"a": 1, "b": 2}]""", "root"),
            Method(method), Json(arguments), owner).Should().BeFalse();

    [Namespace("fold")]
    private sealed class FoldService : Service
    {
        [Job(Lock = "l")]
        public string Run(IJobContext job, string command, JsonElement options) => command;

        [Job(Lock = "l")]
        public string Other(IJobContext job, string command, JsonElement options) => command;
    }
}
