using System.Text.Json.Nodes;
using JobServer.Rest.Mirror;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace JobServer.Tests.Rest;

public sealed class RestQueryStringTests
{
    [Fact]
    public void Parse_FieldsOperatorsAndOptions_BecomeFiltersAndOptions()
    {
        var (filters, options) = RestQueryString.Parse(Query(
            "?username=ada&id__gte=2&locked=false&email=null&full_name__regex=^A&limit=5&offset=1&count=true&sort=a,-b&extra.x=1&wait=true"));

        JsonNode.DeepEquals(filters, JsonNode.Parse(
            """[["username","=","ada"],["id",">=",2],["locked","=",false],["email","=",null],["full_name","~","^A"]]"""))
            .Should().BeTrue(filters.ToJsonString());
        JsonNode.DeepEquals(options, JsonNode.Parse(
            """{"limit":5,"offset":1,"count":true,"order_by":["a","-b"],"extra":{"x":1}}""")).Should().BeTrue(options.ToJsonString());
    }

    [Theory]
    [InlineData("?a__like=1", "Unknown operator")]
    [InlineData("?limit=-1", "non-negative integer")]
    [InlineData("?offset=x", "non-negative integer")]
    [InlineData("?count=2", "true or false")]
    [InlineData("?a=1&a=2", "once")]
    [InlineData("?__eq=1", "field name")]
    public void Parse_BadParameter_IsARequestErrorSayingWhy(string query, string why)
    {
        var parse = () => RestQueryString.Parse(Query(query));

        parse.Should().Throw<RestRequestException>().Where(e => e.Message.Contains(why) && e.Status == 400);
    }

    private static QueryCollection Query(string text) => new(QueryHelpers.ParseQuery(text));
}
