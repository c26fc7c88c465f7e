using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Sdk.Query;

namespace JobServer.Tests.Query;

/// <summary>
/// Queries run both through <see cref="QueryableFilter"/> and through <see cref="QueryEngine"/> alone; each
/// says whether every filter should have been pushed into the query.
/// </summary>
public static class ParityCases
{
    public static TheoryData<string, string, bool> All { get; } = new()
    {
        { """[["id", "=", 3]]""", "{}", true },
        { """[["id", "!=", 3]]""", "{}", true },
        { """[["size", "=", null]]""", "{}", true },
        { """[["size", "!=", null]]""", "{}", true },
        { """[["rank", "=", null]]""", "{}", true },
        { """[["rank", "!=", null]]""", "{}", true },
        { """[["size", "!=", 20]]""", "{}", true },
        { """[["size", ">", 5]]""", "{}", true },
        { """[["size", ">=", 20]]""", "{}", true },
        { """[["size", "<", 7]]""", "{}", true },
        { """[["size", "<=", 0]]""", "{}", true },
        { """[["size", "=", 20.0]]""", "{}", true },
        { """[["size", "=", 1.5]]""", "{}", false },
        { """[["size", ">", 1.5]]""", "{}", false },
        { """[["size", "=", "20"]]""", "{}", false },
        { """[["ratio", ">", 1]]""", "{}", true },
        { """[["ratio", "=", 2]]""", "{}", true },
        { """[["ratio", "in", [2, 0.5]]]""", "{}", true },
        { """[["enabled", "=", true]]""", "{}", true },
        { """[["enabled", "!=", true]]""", "{}", true },
        { """[["flag", "=", null]]""", "{}", true },
        { """[["flag", "!=", true]]""", "{}", true },
        { """[["flag", "=", true]]""", "{}", true },
        { """[["flag", "in", [false]]]""", "{}", true },
        { """[["name", "=", "alpha"]]""", "{}", true },
        { """[["name", "!=", "alpha"]]""", "{}", true },
        { """[["name", ">", "b"]]""", "{}", true },
        { """[["name", "<", "alpha"]]""", "{}", true },
        { """[["name", ">=", "Alpha"]]""", "{}", true },
        { """[["name", "<=", "b"]]""", "{}", true },
        { """[["name", "in", ["alpha", "beta", null]]]""", "{}", true },
        { """[["name", "nin", ["alpha"]]]""", "{}", true },
        { """[["name", "in", []]]""", "{}", true },
        { """[["name", "nin", []]]""", "{}", true },
        { """[["id", "in", [1, 2.0, 3.5, "4", null]]]""", "{}", true },
        { """[["size", "nin", [20, 5]]]""", "{}", true },
        { """[["name", "^", "al"]]""", "{}", true },
        { """[["name", "^", "AL"]]""", "{}", true },
        { """[["name", "^", "gamma%"]]""", "{}", true },
        { """[["name", "!^", "al"]]""", "{}", true },
        { """[["name", "$", "a"]]""", "{}", true },
        { """[["name", "!$", "a"]]""", "{}", true },
        { """[["name", "^", ""]]""", "{}", true },
        { """[["label", "$", "y"]]""", "{}", true },
        { """[["label", "^", "x_"]]""", "{}", true },
        { """[["name", "C=", "ALPHA"]]""", "{}", true },
        { """[["name", "C!=", "alpha"]]""", "{}", true },
        { """[["name", "C^", "alpha"]]""", "{}", true },
        { """[["name", "C!^", "a"]]""", "{}", true },
        { """[["name", "C$", "BETA"]]""", "{}", true },
        { """[["name", "C!$", "A"]]""", "{}", true },
        { """[["name", "Cin", ["ALPHA", "B"]]]""", "{}", true },
        { """[["name", "Cnin", ["alpha"]]]""", "{}", true },
        { """[["name", "C=", null]]""", "{}", true },
        { """[["name", "C=", "éclair"]]""", "{}", false },
        { """[["name", "C>", "b"]]""", "{}", false },
        { """[["name", "~", "al"]]""", "{}", false },
        { """[["name", "rin", "ph"]]""", "{}", false },
        { """[["name", "rnin", "ph"]]""", "{}", false },
        { """[["created_at.$date", ">", "2024-01-01T00:00:00Z"]]""", "{}", true },
        { """[["created_at.$date", "=", "2024-01-01T00:00:00Z"]]""", "{}", true },
        { """[["created_at.$date", "!=", "2024-01-01T01:00:00+01:00"]]""", "{}", true },
        { """[["created_at.$date", "<=", "2024-03-01"]]""", "{}", true },
        { """[["created_at.$date", "<", "2024-01-01T00:00:00.5"]]""", "{}", true },
        { """[["created_at", "=", "2024-03-01T00:00:00"]]""", "{}", false },
        { """[["OR", [["size", "=", null], ["name", "^", "b"]]]]""", "{}", true },
        { """[["OR", [[["enabled", "=", true], ["size", ">", 10]], ["id", "=", 2]]]]""", "{}", true },
        { """[["OR", [["OR", [["OR", [["id", "=", 3]]]]], ["flag", "=", false]]]]""", "{}", true },
        { """[["OR", [["name", "~", "b"], ["id", "=", 1]]]]""", "{}", false },
        { """[["enabled", "=", true], ["name", "~", "[a-z]"]]""", "{}", false },
        { """[["nope", "=", 1]]""", "{}", false },
        { """[["nope", "!=", 1]]""", "{}", false },
        { """[]""", """{"order_by": ["name", "id"]}""", true },
        { """[]""", """{"order_by": ["-name", "id"]}""", true },
        { """[]""", """{"order_by": ["size", "id"]}""", true },
        { """[]""", """{"order_by": ["nulls_last:size", "id"]}""", true },
        { """[]""", """{"order_by": ["nulls_first:-size", "id"]}""", true },
        { """[]""", """{"order_by": ["nulls_last:-flag", "-id"]}""", true },
        { """[]""", """{"order_by": ["-enabled", "ratio"]}""", true },
        { """[]""", """{"order_by": ["rank", "-id"], "offset": 2, "limit": 3}""", true },
        { """[]""", """{"order_by": ["created_at", "id"]}""", true },
        { """[["enabled", "=", true]]""", """{"order_by": ["-id"], "limit": 2}""", true },
        { """[["enabled", "=", true]]""", """{"offset": 1}""", true },
        { """[["size", ">", 0]]""", """{"count": true, "limit": 1}""", true },
        { """[["name", "~", "a"]]""", """{"count": true}""", false },
        { """[["size", ">", 0]]""", """{"get": true, "order_by": ["-size", "id"]}""", true },
        { """[["id", "=", 3]]""", """{"get": true}""", true },
        { """[["id", "=", 99]]""", """{"get": true}""", true },
        { """[["name", "~", "zz"]]""", """{"get": true}""", false },
        { """[]""", """{"select": ["name", ["size", "bigness"]], "order_by": ["-ratio"]}""", true },
    };

    public static QueryOptions Options(string json) =>
        JsonSerializer.Deserialize<QueryOptions>(json, WireJson.Options)!;

    public static List<JsonObject> Serialize(IEnumerable<ParityEntity> rows) =>
        rows.Select(row => JsonSerializer.SerializeToNode(row, WireJson.Options)!.AsObject()).ToList();

    /// <summary>Runs a query, turning MatchNotFound into a marker so both paths can be compared.</summary>
    public static JsonNode? Run(Func<JsonNode?> query)
    {
        try
        {
            return query();
        }
        catch (MatchNotFoundException)
        {
            return "MatchNotFound";
        }
    }
}
