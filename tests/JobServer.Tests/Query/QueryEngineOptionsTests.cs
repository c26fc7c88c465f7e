using System.Text.Json.Nodes;
using JobServer.Sdk.Errors;
using JobServer.Sdk.Query;

namespace JobServer.Tests.Query;

public sealed class QueryEngineOptionsTests
{
    [Theory]
    [InlineData("name", "1,3,2,4")]
    [InlineData("-name", "4,2,3,1")]
    [InlineData("size", "3,1,2,4")]
    [InlineData("-size", "4,2,1,3")]
    [InlineData("nulls_first:size", "3,1,2,4")]
    [InlineData("nulls_last:size", "1,2,4,3")]
    [InlineData("nulls_first:-size", "3,4,2,1")]
    [InlineData("nulls_last:-size", "4,2,1,3")]
    [InlineData("owner.uid", "3,4,1,2")]
    [InlineData("missing", "1,2,3,4")]
    public void Apply_OrderBy_SortsRows(string key, string expectedIds)
    {
        var result = QueryEngine.Apply(QueryTestRows.Create(), null, new QueryOptions { OrderBy = [key] });

        QueryTestRows.Ids(result).Should().Be(expectedIds);
    }

    [Fact]
    public void Apply_OrderByTwoKeys_FirstKeyIsPrimary()
    {
        // Upstream's last-key-primary quirk would give 4,3,2,1 here.
        var options = new QueryOptions { OrderBy = ["enabled", "-id"] };

        var result = QueryEngine.Apply(QueryTestRows.Create(), null, options);

        QueryTestRows.Ids(result).Should().Be("4,2,3,1");
    }

    [Fact]
    public void Apply_SelectNestedPath_KeepsNesting()
    {
        var options = new QueryOptions { Select = ["owner.name", "id", "nope"], Get = true };

        var result = QueryEngine.Apply(QueryTestRows.Create(), null, options);

        JsonNode.DeepEquals(result, JsonNode.Parse("""{"owner": {"name": "root"}, "id": 1}""")).Should().BeTrue();
    }

    [Fact]
    public void Apply_SelectWithRename_PutsValueAtTopLevel()
    {
        var options = new QueryOptions { Select = [new JsonArray("owner.name", "owner_name"), "dotted\\.key"] };

        var result = QueryEngine.Apply(QueryTestRows.Create(), QueryTestRows.Filters("""[["id", "<", 3]]"""), options);

        JsonNode.DeepEquals(result, JsonNode.Parse("""[{"owner_name": "root", "dotted.key": "x"}, {"owner_name": "Bob"}]"""))
            .Should().BeTrue();
    }

    [Fact]
    public void Apply_SelectWithOrderByUnselectedField_OrdersBeforeProjecting()
    {
        var options = new QueryOptions { Select = ["name"], OrderBy = ["-size"] };

        var result = QueryEngine.Apply(QueryTestRows.Create(), null, options);

        result!.AsArray().Select(row => (string?)row!["name"]).Should().Equal("delta", "beta", "Alpha", "Gamma");
    }

    [Fact]
    public void Apply_SelectIntoList_Throws()
    {
        var act = () => QueryEngine.Apply(QueryTestRows.Create(), null, new QueryOptions { Select = ["tags.0"] });

        act.Should().Throw<ValidationException>().Which.Errors.Should().ContainSingle()
            .Which.Attribute.Should().Be("query-options.select");
    }

    [Fact]
    public void Apply_Count_ReturnsMatchesBeforePaging()
    {
        var options = new QueryOptions { Count = true, Limit = 1, Offset = 1, OrderBy = ["id"] };

        var result = QueryEngine.Apply(QueryTestRows.Create(), QueryTestRows.Filters("""[["id", ">", 1]]"""), options);

        result!.GetValue<int>().Should().Be(3);
    }

    [Fact]
    public void Apply_Get_ReturnsFirstMatchAfterOrdering()
    {
        var options = new QueryOptions { Get = true, OrderBy = ["-id"] };

        var result = QueryEngine.Apply(QueryTestRows.Create(), QueryTestRows.Filters("""[["id", "<", 4]]"""), options);

        result.Should().BeOfType<JsonObject>().Which["id"]!.GetValue<int>().Should().Be(3);
    }

    [Fact]
    public void Apply_GetWithNoMatch_ThrowsMatchNotFound()
    {
        var act = () => QueryEngine.Apply(
            QueryTestRows.Create(), QueryTestRows.Filters("""[["id", "=", 99]]"""), new QueryOptions { Get = true });

        act.Should().Throw<MatchNotFoundException>().WithMessage("MatchNotFound()");
    }

    [Theory]
    [InlineData(0, 0, "1,2,3,4")]
    [InlineData(1, 2, "2,3")]
    [InlineData(3, 0, "4")]
    [InlineData(0, 1, "1")]
    [InlineData(10, 0, "")]
    public void Apply_OffsetAndLimit_PageAfterOrdering(int offset, int limit, string expectedIds)
    {
        var options = new QueryOptions { OrderBy = ["id"], Offset = offset, Limit = limit };

        var result = QueryEngine.Apply(QueryTestRows.Create(), null, options);

        QueryTestRows.Ids(result).Should().Be(expectedIds);
    }

    [Fact]
    public void Apply_AnyOptions_NeverChangesInputRows()
    {
        var rows = QueryTestRows.Create();
        var before = new JsonArray(rows.Select(row => (JsonNode)row.DeepClone()).ToArray()).ToJsonString();

        var result = QueryEngine.Apply(rows, null, new QueryOptions { Select = ["owner.name"], OrderBy = ["-id"] });
        var full = QueryEngine.Apply(rows, null, null);
        full![0]!["name"] = "changed";
        result![0]!["owner"]!["name"] = "changed";

        new JsonArray(rows.Select(row => (JsonNode)row.DeepClone()).ToArray()).ToJsonString().Should().Be(before);
    }
}
