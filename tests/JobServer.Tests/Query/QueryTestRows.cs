using System.Text.Json.Nodes;

namespace JobServer.Tests.Query;

/// <summary>The rows the in-memory engine tests run against, with nulls, missing keys, lists and nesting.</summary>
internal static class QueryTestRows
{
    private const string Json = """
        [
          {"id": 1, "name": "Alpha", "size": 10, "ratio": 1.5, "enabled": true, "tags": ["a", "b"],
           "owner": {"name": "root", "uid": 0}, "note": null, "created": {"$date": 1700000000000},
           "when": "2023-11-14T22:13:20Z", "dotted.key": "x", "items": [{"n": 1}, {"n": 2}]},
          {"id": 2, "name": "beta", "size": 20, "ratio": 2.0, "enabled": false, "tags": ["c"],
           "owner": {"name": "Bob", "uid": 1000}, "note": "hello", "created": {"$date": 1710000000000},
           "items": []},
          {"id": 3, "name": "Gamma", "size": null, "ratio": 3, "enabled": true, "tags": [], "owner": null,
           "note": "World", "when": "2024-03-09T16:00:00+00:00"},
          {"id": 4, "name": "delta", "size": 40, "enabled": null, "owner": {"name": "carol"}}
        ]
        """;

    public static List<JsonObject> Create() =>
        JsonNode.Parse(Json)!.AsArray().Select(row => row!.AsObject()).ToList();

    public static JsonArray? Filters(string json) => JsonNode.Parse(json)?.AsArray();

    public static string Ids(JsonNode? result) =>
        string.Join(",", result!.AsArray().Select(row => row!["id"]!.ToJsonString()));
}
