using System.Text.Json.Nodes;
using JobServer.Sdk.Query;

namespace JobServer.Tests.Query;

public sealed class QueryableFilterParityTests
{
    [Theory]
    [MemberData(nameof(ParityCases.All), MemberType = typeof(ParityCases))]
    public void Execute_OverQueryable_MatchesInMemoryEngine(string filtersJson, string optionsJson, bool translated)
    {
        var entities = ParityEntity.Create();
        var filters = QueryTestRows.Filters(filtersJson);
        var options = ParityCases.Options(optionsJson);

        var expected = ParityCases.Run(() => QueryEngine.Apply(ParityCases.Serialize(entities), filters, options));
        var actual = ParityCases.Run(() => QueryableFilter.Execute(entities.AsQueryable(), filters, options));

        JsonNode.DeepEquals(actual, expected).Should().BeTrue(
            "pushed {0} should equal in-memory {1}", actual?.ToJsonString(), expected?.ToJsonString());
        QueryableFilter.Translate(entities.AsQueryable(), filters, options).IsFullyTranslated.Should().Be(translated);
    }

    [Fact]
    public void Translate_AllFiltersAndOrder_LeavesNothingButSelectInMemory()
    {
        var options = new QueryOptions
        {
            OrderBy = ["-size"], Offset = 1, Limit = 2, Select = ["name"],
        };

        var plan = QueryableFilter.Translate(
            ParityEntity.Create().AsQueryable(), QueryTestRows.Filters("""[["enabled", "=", true]]"""), options);

        plan.RemainingFilters.Should().BeEmpty();
        plan.RemainingOptions.OrderBy.Should().BeEmpty();
        plan.RemainingOptions.Offset.Should().Be(0);
        plan.RemainingOptions.Limit.Should().Be(0);
        plan.RemainingOptions.Select.Should().NotBeNull();
        plan.Query.Select(row => row.Id).Should().Equal(5, 1);
    }

    [Fact]
    public void Translate_UntranslatableFilter_KeepsItAndAllOptionsForMemory()
    {
        var options = new QueryOptions { OrderBy = ["-size"], Limit = 2 };

        var plan = QueryableFilter.Translate(
            ParityEntity.Create().AsQueryable(),
            QueryTestRows.Filters("""[["enabled", "=", true], ["name", "~", "a"]]"""),
            options);

        JsonNode.DeepEquals(plan.RemainingFilters, QueryTestRows.Filters("""[["name", "~", "a"]]""")).Should().BeTrue();
        plan.RemainingOptions.Should().Be(options);
        plan.Query.Select(row => row.Id).Should().Equal(1, 3, 5, 7);
    }

    [Fact]
    public void Translate_CountWithAllFiltersTranslated_IsCountQuery()
    {
        var plan = QueryableFilter.Translate(
            ParityEntity.Create().AsQueryable(),
            QueryTestRows.Filters("""[["size", ">", 0]]"""),
            new QueryOptions { Count = true });

        plan.IsCount.Should().BeTrue();
        plan.Execute()!.GetValue<int>().Should().Be(5);
    }

    [Fact]
    public void Translate_InvalidFilter_ThrowsValidation()
    {
        var act = () => QueryableFilter.Translate(
            ParityEntity.Create().AsQueryable(), QueryTestRows.Filters("""[["name", "C~", "a"]]"""), null);

        act.Should().Throw<JobServer.Sdk.Errors.ValidationException>()
            .Which.Errors[0].Attribute.Should().Be("query-filters");
    }
}
