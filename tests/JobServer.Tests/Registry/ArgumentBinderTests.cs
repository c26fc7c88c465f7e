using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Registry;
using JobServer.Sdk.Errors;

namespace JobServer.Tests.Registry;

public sealed class ArgumentBinderTests
{
    private static readonly MethodRegistry Registry = MethodRegistryBuilder.Build([new SampleService()]);

    private static object?[] Bind(string method, string parameters) =>
        ArgumentBinder.Bind(Method(method), JsonDocument.Parse(parameters).RootElement);

    private static MethodDescriptor Method(string name)
    {
        Registry.TryGetMethod("sample.things." + name, out var method).Should().BeTrue(name);
        return method;
    }

    private static IReadOnlyList<ValidationError> Errors(string method, string parameters)
    {
        var bind = () => Bind(method, parameters);
        return bind.Should().Throw<ArgumentValidationException>().Which.Errors;
    }

    [Theory]
    [InlineData("text", """["hi"]""", "hi")]
    [InlineData("integer", """[9007199254740993]""", 9007199254740993L)]
    [InlineData("small_integer", """[-5]""", -5)]
    [InlineData("number", """[1.5]""", 1.5)]
    [InlineData("flag", """[true]""", true)]
    [InlineData("nullable_text", """[null]""", null)]
    [InlineData("nullable_integer", """[4]""", 4)]
    public void Bind_ScalarJson_BecomesItsCSharpCounterpart(string method, string parameters, object? expected) =>
        Bind(method, parameters)[0].Should().Be(expected);

    [Fact]
    public void Bind_ArrayRecordObjectEnumDate_AreDeserialized()
    {
        Bind("list", """[["a","b"]]""")[0].Should().BeEquivalentTo(new List<string> { "a", "b" });
        Bind("record", """[{"x":1,"y":2}]""")[0].Should().Be(new Point(1, 2));
        ((JsonObject)Bind("object", """[{"k":[1]}]""")[0]!)["k"]![0]!.GetValue<int>().Should().Be(1);
        Bind("enum", """["GREEN"]""")[0].Should().Be(Color.Green);
        Bind("date", """[{"$date":1571300596053}]""")[0].Should()
            .Be(DateTimeOffset.FromUnixTimeMilliseconds(1571300596053));
        Bind("anything", """[[1,"x",null]]""")[0].Should().BeOfType<JsonArray>();
    }

    [Fact]
    public void Bind_OptionalArgumentsOmitted_TakeTheirDefaults()
    {
        Bind("optional", """["r"]""").Should().Equal("r", 3, null);
        Bind("optional", """["r", 5]""").Should().Equal("r", 5, null);
        Bind("optional", """["r", 5, "l"]""").Should().Equal("r", 5, "l");
    }

    [Fact]
    public void Bind_NullOrAbsentParams_AreAnEmptyList()
    {
        ArgumentBinder.Bind(Method("void"), default).Should().BeEmpty();
        Bind("void", "null").Should().BeEmpty();
    }

    [Fact]
    public void Bind_ContextParameters_AreLeftForTheDispatcher()
    {
        var arguments = Bind("with_context", """["v"]""");

        arguments.Should().HaveCount(3);
        arguments[1].Should().Be("v");
    }

    [Fact]
    public void Bind_MissingRequiredArgument_NamesIt()
    {
        var errors = Errors("optional", "[]");

        errors.Should().ContainSingle().Which.Should()
            .Be(new ValidationError("sample_things_optional.required", "Field required", Errno.EINVAL));
    }

    [Fact]
    public void Bind_TooManyArguments_IsOneErrorWithCounts() =>
        Errors("text", """["a","b"]""").Should().ContainSingle()
            .Which.Message.Should().Be("Too many arguments (expected 1, found 2)");

    [Theory]
    [InlineData("text", "[5]", "Expected a string, got a number")]
    [InlineData("integer", "[\"5\"]", "Expected an integer, got a string")]
    [InlineData("integer", "[1.5]", "Expected an integer, got a number")]
    [InlineData("flag", "[1]", "Expected a boolean, got a number")]
    [InlineData("list", "[{}]", "Expected a list, got an object")]
    [InlineData("object", "[[]]", "Expected an object, got a list")]
    [InlineData("text", "[null]", "Expected a string, got null")]
    [InlineData("small_integer", "[3000000000]", "Expected an integer, got a number")]
    public void Bind_WrongType_IsAValidationErrorNamingTheArgument(string method, string parameters, string message)
    {
        var error = Errors(method, parameters).Should().ContainSingle().Which;

        error.Attribute.Should().Be($"sample_things_{method}.{(method == "list" ? "values" : "value")}");
        error.Message.Should().Be(message);
    }

    [Fact]
    public void Bind_NestedFieldWrong_PointsIntoTheArgument()
    {
        var error = Errors("record", """[{"x":"a","y":2}]""").Should().ContainSingle().Which;

        error.Attribute.Should().Be("sample_things_record.point.x");
    }

    [Fact]
    public void Bind_SeveralProblems_AreAllReported() =>
        Errors("optional", """[5, "x"]""").Should().HaveCount(2);

    [Fact]
    public void ValidationErrors_UseErrnoEagain() =>
        new ArgumentValidationException([new ValidationError("a", "b")]).Errno.Should().Be(Errno.EAGAIN);
}
