using static JobServer.IntegrationTests.Accounts.UserQueryFilterTests;

namespace JobServer.IntegrationTests.Accounts;

/// <summary>Bad filters and options are validation errors naming <c>query-filters</c>/<c>query-options</c>.</summary>
public sealed class UserQueryValidationTests(UserQueryFixture fixture) : IClassFixture<UserQueryFixture>
{
    [Theory]
    [InlineData("""[["username", "bogus", "x"]]""", "query-filters")]
    [InlineData("""[["username", "C~", "x"]]""", "query-filters")]
    [InlineData("""[["OR", []]]""", "query-filters")]
    [InlineData("""[["username", "="]]""", "query-filters")]
    [InlineData("""[["full_name", "~", "("]]""", "query-filters")]
    [InlineData("""["username"]""", "query-filters")]
    public async Task Query_BadFilter_IsValidationError(string filters, string attribute)
    {
        var error = await fixture.Root.CallErrorAsync("user.query", Json(filters));

        error.Errno().Should().BeOneOf(11, 22);
        error.GetProperty("type").GetString().Should().Be("VALIDATION");
        error.GetProperty("extra")[0][0].GetString().Should().StartWith(attribute);
    }

    [Theory]
    [InlineData("""{"limit": -1}""")]
    [InlineData("""{"limit": 10001}""")]
    [InlineData("""{"offset": -3}""")]
    [InlineData("""{"get": true, "limit": 2}""")]
    [InlineData("""{"get": true, "offset": 1}""")]
    [InlineData("""{"order_by": [""]}""")]
    [InlineData("""{"select": [5]}""")]
    public async Task Query_BadOptions_IsValidationError(string options)
    {
        var error = await fixture.Root.CallErrorAsync("user.query", Json("[]"), Json(options));

        error.Errno().Should().BeOneOf(11, 22);
        error.GetProperty("type").GetString().Should().Be("VALIDATION");
        error.GetProperty("extra")[0][0].GetString().Should().StartWith("query-options");
    }

    [Fact]
    public async Task Query_FiltersNotAList_IsArgumentValidationError()
    {
        var error = await fixture.Root.CallErrorAsync("user.query", "username");

        error.Errno().Should().Be(11);
        error.GetProperty("type").GetString().Should().Be("VALIDATION");
        error.GetProperty("extra")[0][0].GetString().Should().Be("user_query.filters");
    }
}
