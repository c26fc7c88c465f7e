using System.Text.Json.Nodes;
using JobServer.Registry;
using JobServer.Sdk;

namespace JobServer.Tests.Registry;

public sealed class MethodRegistryTests
{
    private static readonly MethodRegistry Registry = MethodRegistryBuilder.Build([new SampleService()]);

    private static MethodDescriptor Method(string name)
    {
        Registry.TryGetMethod("sample.things." + name, out var method).Should().BeTrue(name);
        return method;
    }

    [Fact]
    public void Build_ExplicitNamespaceAndSnakeCaseNames()
    {
        Registry.Methods.Select(m => m.Name).Should().Contain(
            ["sample.things.small_integer", "sample.things.nullable_text", "sample.things.async_result"]);
    }

    [Fact]
    public void Build_NamespaceFromClassName_IsLowerCasedWithoutService() =>
        MethodNaming.NamespaceOf(typeof(JobServer.Services.CoreService)).Should().Be("core");

    [Fact]
    public void Build_PrivateMethod_IsMarkedPrivate() => Method("hidden").IsPrivate.Should().BeTrue();

    [Fact]
    public void Build_DefaultRoles_ReadingMethodsNeedReadonlyAdmin()
    {
        Method("get_thing").Access.Roles.Should().Equal(Role.ReadonlyAdmin);
        Method("text").Access.Roles.Should().Equal(Role.FullAdmin);
        Method("any_user").Access.Roles.Should().Equal(Role.Authenticated);
        Method("open").Access.NoAuth.Should().BeTrue();
    }

    [Theory]
    [InlineData("async_result", 7)]
    [InlineData("value_task_result", "v")]
    [InlineData("nothing", null)]
    [InlineData("void", null)]
    public async Task Invoker_AwaitsWhateverTheMethodReturns(string name, object? expected)
    {
        var method = Method(name);

        var result = await method.Invoker(method.Service.Instance, []);

        result.Should().Be(expected);
    }

    [Fact]
    public void Invoker_ResultType_IsTheAwaitedType()
    {
        Method("async_result").ResultType.Should().Be<int>();
        Method("nothing").ResultType.Should().Be(typeof(void));
    }

    [Fact]
    public void Schema_Accepts_IsAPositionalArraySchema()
    {
        var accepts = Method("optional").Accepts;

        accepts["type"]!.GetValue<string>().Should().Be("array");
        accepts["minItems"]!.GetValue<int>().Should().Be(1);
        accepts["maxItems"]!.GetValue<int>().Should().Be(3);
        var items = accepts["prefixItems"]!.AsArray();
        items[0]!["title"]!.GetValue<string>().Should().Be("required");
        items[0]!["type"]!.GetValue<string>().Should().Be("string");
        items[1]!["type"]!.GetValue<string>().Should().Be("integer");
        items[1]!["default"]!.GetValue<int>().Should().Be(3);
        items[2]!["type"]!.AsArray().Select(t => t!.GetValue<string>()).Should().BeEquivalentTo("string", "null");
    }

    [Fact]
    public void Schema_ContextParameters_AreNotInTheSchema() =>
        Method("with_context").Accepts["prefixItems"]!.AsArray().Should().ContainSingle();

    [Fact]
    public void Schema_RecordAndEnum_AreDescribed()
    {
        var point = Method("record").Accepts["prefixItems"]![0]!;
        point["type"]!.GetValue<string>().Should().Be("object");
        point["properties"]!["x"]!["type"]!.GetValue<string>().Should().Be("integer");

        var color = Method("enum").Accepts["prefixItems"]![0]!;
        color["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("RED", "GREEN");
    }

    [Fact]
    public void Schema_Returns_DescribesTheAwaitedResult()
    {
        Method("async_result").Returns["type"]!.GetValue<string>().Should().Be("integer");
        Method("void").Returns["type"]!.GetValue<string>().Should().Be("null");
        Method("list").Returns["type"]!.GetValue<string>().Should().Be("array");
    }

    [Fact]
    public void Build_JobMethodWithoutJobContext_IsRefused()
    {
        var build = () => MethodRegistryBuilder.Build([new BrokenJobService()]);

        build.Should().Throw<InvalidOperationException>().WithMessage("*IJobContext*");
    }

    [Fact]
    public void Build_TwoClassesInOneNamespace_ShareItButNotMethodNames()
    {
        var registry = MethodRegistryBuilder.Build([new FirstPart(), new SecondPart()]);

        registry.Services.Should().ContainSingle(s => s.Namespace == "parts");
        registry.TryGetMethod("parts.one", out var one).Should().BeTrue();
        registry.TryGetMethod("parts.two", out var two).Should().BeTrue();
        one.Service.Instance.Should().BeOfType<FirstPart>();
        two.Service.Instance.Should().BeOfType<SecondPart>();

        var clash = () => MethodRegistryBuilder.Build([new FirstPart(), new FirstPart()]);
        clash.Should().Throw<InvalidOperationException>().WithMessage("*parts.one*");
    }

    [Namespace("parts")]
    private sealed class FirstPart : Service
    {
        public int One() => 1;
    }

    [Namespace("parts")]
    private sealed class SecondPart : Service
    {
        public int Two() => 2;
    }

    private sealed class BrokenJobService : Service
    {
        [Job]
        public void Run(string x)
        {
        }
    }
}
