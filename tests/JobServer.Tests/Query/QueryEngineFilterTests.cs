using JobServer.Sdk.Query;

namespace JobServer.Tests.Query;

public sealed class QueryEngineFilterTests
{
    [Theory]
    // = and != compare numbers by value; a missing key is false even for !=.
    [InlineData("""[["id", "=", 1]]""", "1")]
    [InlineData("""[["id", "=", 1.0]]""", "1")]
    [InlineData("""[["ratio", "=", 2]]""", "2")]
    [InlineData("""[["name", "=", "Alpha"]]""", "1")]
    [InlineData("""[["name", "!=", "Alpha"]]""", "2,3,4")]
    [InlineData("""[["note", "!=", "hello"]]""", "1,3")]
    [InlineData("""[["ratio", "!=", 1]]""", "1,2,3")]
    [InlineData("""[["note", "=", null]]""", "1")]
    [InlineData("""[["enabled", "=", true]]""", "1,3")]
    [InlineData("""[["size", "!=", null]]""", "1,2,4")]
    // Ordering comparisons: null compares with nothing; strings by code point (upper case first).
    [InlineData("""[["size", ">", 10]]""", "2,4")]
    [InlineData("""[["size", ">=", 20]]""", "2,4")]
    [InlineData("""[["size", "<", 20]]""", "1")]
    [InlineData("""[["size", "<=", 20]]""", "1,2")]
    [InlineData("""[["name", ">", "a"]]""", "2,4")]
    [InlineData("""[["name", "<", "a"]]""", "1,3")]
    [InlineData("""[["size", ">", "a"]]""", "")]
    // ~ is re.match: anchored at the start only; null is ''.
    [InlineData("""[["name", "~", "[A-Z]"]]""", "1,3")]
    [InlineData("""[["name", "~", "lpha"]]""", "")]
    [InlineData("""[["name", "~", "Al"]]""", "1")]
    [InlineData("""[["note", "~", "h|$"]]""", "1,2")]
    // in / nin / rin / rnin: null field is false; a string operand is a substring test.
    [InlineData("""[["id", "in", [1, 3]]]""", "1,3")]
    [InlineData("""[["id", "nin", [1, 3]]]""", "2,4")]
    [InlineData("""[["note", "in", ["hello", null]]]""", "2")]
    [InlineData("""[["note", "nin", ["hello"]]]""", "3")]
    [InlineData("""[["name", "in", "xAlphax"]]""", "1")]
    [InlineData("""[["tags", "rin", "a"]]""", "1")]
    [InlineData("""[["tags", "rnin", "a"]]""", "2,3")]
    [InlineData("""[["name", "rin", "lph"]]""", "1")]
    [InlineData("""[["owner", "rin", "uid"]]""", "1,2")]
    // ^ !^ $ !$: null field is false.
    [InlineData("""[["name", "^", "Al"]]""", "1")]
    [InlineData("""[["name", "!^", "Al"]]""", "2,3,4")]
    [InlineData("""[["name", "$", "ta"]]""", "2,4")]
    [InlineData("""[["name", "!$", "ta"]]""", "1,3")]
    [InlineData("""[["note", "^", "h"]]""", "2")]
    [InlineData("""[["note", "!^", "h"]]""", "3")]
    [InlineData("""[["note", "!$", "x"]]""", "2,3")]
    // The C prefix casefolds both sides, strings or lists of strings.
    [InlineData("""[["name", "C=", "ALPHA"]]""", "1")]
    [InlineData("""[["name", "C!=", "ALPHA"]]""", "2,3,4")]
    [InlineData("""[["name", "C>", "B"]]""", "2,3,4")]
    [InlineData("""[["name", "C^", "a"]]""", "1")]
    [InlineData("""[["name", "C!^", "B"]]""", "1,3,4")]
    [InlineData("""[["name", "C$", "A"]]""", "1,2,3,4")]
    [InlineData("""[["name", "C!$", "A"]]""", "")]
    [InlineData("""[["name", "Cin", ["BETA", "gamma"]]]""", "2,3")]
    [InlineData("""[["name", "Cnin", ["ALPHA"]]]""", "2,3,4")]
    [InlineData("""[["tags", "Crin", "A"]]""", "1")]
    [InlineData("""[["tags", "Crnin", "A"]]""", "2,3")]
    // Paths: nesting, null on the way, escaped dots, indexes (past the end is null) and wildcards.
    [InlineData("""[["owner.name", "=", "root"]]""", "1")]
    [InlineData("""[["owner.uid", ">", 0]]""", "2")]
    [InlineData("""[["owner.name", "!=", "root"]]""", "2,3,4")]
    [InlineData("""[["owner.uid", "!=", 0]]""", "2,3")]
    [InlineData("""[["dotted\\.key", "=", "x"]]""", "1")]
    [InlineData("""[["dotted.key", "=", "x"]]""", "")]
    [InlineData("""[["tags.0", "=", "a"]]""", "1")]
    [InlineData("""[["tags.1", "=", null]]""", "2,3")]
    [InlineData("""[["tags.*", "=", "c"]]""", "2")]
    [InlineData("""[["items.*.n", "=", 2]]""", "1")]
    [InlineData("""[["items.*.n", "!=", 5]]""", "1")]
    [InlineData("""[["name.first", "=", "x"]]""", "")]
    // Timestamps: {"$date": ms} or an ISO string, compared as instants.
    [InlineData("""[["created.$date", ">", "2023-12-01T00:00:00Z"]]""", "2")]
    [InlineData("""[["created.$date", "=", "2023-11-14T22:13:20Z"]]""", "1")]
    [InlineData("""[["created.$date", "!=", "2023-11-14T22:13:20+00:00"]]""", "2")]
    [InlineData("""[["when.$date", "=", "2023-11-14T23:13:20+01:00"]]""", "1")]
    [InlineData("""[["when.$date", "<", "2024-01-01"]]""", "1")]
    [InlineData("""[["when.$date", ">=", "2024-03-09T16:00:00"]]""", "3")]
    // AND of the list; OR with single conditions, AND groups and nesting up to three deep.
    [InlineData("""[]""", "1,2,3,4")]
    [InlineData("""[["enabled", "=", true], ["size", "!=", null]]""", "1")]
    [InlineData("""[["OR", [["id", "=", 1], ["id", "=", 2]]]]""", "1,2")]
    [InlineData("""[["OR", [[["id", ">", 1], ["size", ">", 20]], ["id", "=", 1]]]]""", "1,4")]
    [InlineData("""[["OR", [["OR", [["OR", [["id", "=", 3]]]]]]]]""", "3")]
    [InlineData("""[["OR", [["missing", "=", 1], ["note", "=", "World"]]], ["id", ">", 1]]""", "3")]
    public void Apply_Filter_ReturnsMatchingRows(string filters, string expectedIds)
    {
        var result = QueryEngine.Apply(QueryTestRows.Create(), QueryTestRows.Filters(filters), null);

        QueryTestRows.Ids(result).Should().Be(expectedIds);
    }

    [Fact]
    public void Apply_NullFilters_ReturnsAllRows()
    {
        var result = QueryEngine.Apply(QueryTestRows.Create(), null, null);

        QueryTestRows.Ids(result).Should().Be("1,2,3,4");
    }

    [Fact]
    public void Apply_NumberOperandFromClrValue_ComparesNumerically()
    {
        // CrudService.GetInstance builds its filter from a long, not from parsed JSON.
        var filters = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonArray("ratio", "=", 2L));

        var result = QueryEngine.Apply(QueryTestRows.Create(), filters, null);

        QueryTestRows.Ids(result).Should().Be("2");
    }
}
