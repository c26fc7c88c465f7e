using JobServer.Sdk.Errors;
using JobServer.Sdk.Query;

namespace JobServer.Tests.Query;

public sealed class QueryEngineValidationTests
{
    [Theory]
    [InlineData("""[["OR", []]]""", "OR filter requires at least one branch.")]
    [InlineData("""[["AND", [["id", "=", 1]]]]""", "Invalid operation: AND")]
    [InlineData("""[["id", "="]]""", "Invalid operation: id")]
    [InlineData("""[["id", "==", 1]]""", "Invalid operation: ==")]
    [InlineData("""[["id", "c=", 1]]""", "Invalid operation: c=")]
    [InlineData("""[["name", "C~", "a"]]""", "Invalid case-insensitive operation: C~")]
    [InlineData("""[["id"]]""", "Invalid filter [\"id\"]")]
    [InlineData("""[["id", "=", 1, 2]]""", "Invalid filter *")]
    [InlineData("""["id"]""", "Invalid filter \"id\"")]
    [InlineData("""[[1, "=", 1]]""", "Invalid filter *")]
    [InlineData("""[["OR", [["OR", [["OR", [["OR", [["id", "=", 1]]]]]]]]]]""", "query-filters max recursion depth exceeded")]
    [InlineData("""[["name", "~", "("]]""", "Invalid regular expression*")]
    [InlineData("""[["created.$date", "~", "x"]]""", "Invalid operation for a timestamp filter: ~")]
    [InlineData("""[["created.$date", ">", "yesterday"]]""", "*ISO-8601*")]
    [InlineData("""[["id", "in", 5]]""", "*unsupported value*")]
    [InlineData("""[["name", "^", 5]]""", "*unsupported value*")]
    [InlineData("""[["name", "C=", 5]]""", "*unsupported value*")]
    [InlineData("""[["tags.x", "=", 1]]""", "x: must be array index or wildcard character")]
    public void Apply_InvalidFilter_ThrowsValidationOnQueryFilters(string filters, string message)
    {
        var act = () => QueryEngine.Apply(QueryTestRows.Create(), QueryTestRows.Filters(filters), null);

        var error = act.Should().Throw<ValidationException>().Which.Errors.Should().ContainSingle().Subject;
        error.Attribute.Should().Be("query-filters");
        error.Message.Should().Match(message);
        error.Errno.Should().Be(Errno.EINVAL);
    }

    [Fact]
    public void Apply_InvalidFilterWithNoRows_StillThrows()
    {
        var act = () => QueryEngine.Apply([], QueryTestRows.Filters("""[["id", "bad", 1]]"""), null);

        act.Should().Throw<ValidationException>();
    }

    [Theory]
    [InlineData(true, 2, 0, "query-options", "Invalid options combination. `get` implies a single result.")]
    [InlineData(true, 0, 1, "query-options", "Invalid options combination. `get` implies a single result.")]
    [InlineData(false, 10_001, 0, "query-options.limit", "Must be between 0 and 10000")]
    [InlineData(false, -1, 0, "query-options.limit", "Must be between 0 and 10000")]
    [InlineData(false, 0, -1, "query-options.offset", "Must be greater than or equal to 0")]
    public void Apply_InvalidOptions_ThrowsValidationOnQueryOptions(
        bool get, int limit, int offset, string attribute, string message)
    {
        var options = new QueryOptions { Get = get, Limit = limit, Offset = offset };

        var act = () => QueryEngine.Apply(QueryTestRows.Create(), null, options);

        var error = act.Should().Throw<ValidationException>().Which.Errors.Should().ContainSingle().Subject;
        error.Attribute.Should().Be(attribute);
        error.Message.Should().Be(message);
        error.Errno.Should().Be(Errno.EINVAL);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("nulls_first:")]
    public void Apply_EmptyOrderByKey_ThrowsValidation(string key)
    {
        var act = () => QueryEngine.Apply(QueryTestRows.Create(), null, new QueryOptions { OrderBy = [key] });

        act.Should().Throw<ValidationException>().Which.Errors[0].Attribute.Should().Be("query-options.order_by");
    }

    [Fact]
    public void Apply_GetWithLimitOne_IsAllowed()
    {
        var result = QueryEngine.Apply(QueryTestRows.Create(), null, new QueryOptions { Get = true, Limit = 1 });

        result!["id"]!.GetValue<int>().Should().Be(1);
    }
}
