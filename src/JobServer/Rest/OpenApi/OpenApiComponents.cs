using System.Text.Json.Nodes;

namespace JobServer.Rest.OpenApi;

/// <summary>The document's shared parts: the error shapes of reference §8, their responses, the security schemes.</summary>
internal static class OpenApiComponents
{
    /// <summary>The responses every route may give, by status.</summary>
    public static readonly (string Status, string Name)[] ErrorResponses =
    [
        ("400", "BadRequest"), ("401", "Unauthorized"), ("403", "Forbidden"), ("404", "NotFound"),
        ("422", "Unprocessable"), ("429", "RateLimited"), ("500", "InternalError"),
    ];

    public static JsonObject Build() => new()
    {
        ["securitySchemes"] = new JsonObject
        {
            ["basic"] = new JsonObject { ["type"] = "http", ["scheme"] = "basic", ["description"] = "A username and password." },
            ["apiKey"] = new JsonObject
            {
                ["type"] = "http",
                ["scheme"] = "bearer",
                ["description"] = "An API key (api_key.create) as `Authorization: Bearer <key>`.",
            },
            ["token"] = new JsonObject
            {
                ["type"] = "apiKey",
                ["in"] = "header",
                ["name"] = "Authorization",
                ["description"] = "A token (auth.generate_token) as `Authorization: Token <token>`.",
            },
        },
        ["schemas"] = new JsonObject
        {
            ["Error"] = Object(("message", String()), ("errno", new JsonObject { ["type"] = new JsonArray("integer", "null") })),
            ["ValidationErrors"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "Validation errors keyed by attribute (such as user_create.username); __all__ for " +
                                  "errors of no one attribute.",
                ["additionalProperties"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = Object(("message", String()), ("errno", new JsonObject { ["type"] = "integer" })),
                },
            },
            ["InternalError"] = Object(("message", String()),
                ("traceback", new JsonObject { ["type"] = new JsonArray("string", "null") })),
        },
        ["responses"] = new JsonObject
        {
            ["BadRequest"] = Response("The request is not a call: a bad query string, body or multipart payload.", "Error"),
            ["Unauthorized"] = Response("No credentials, or wrong ones.", "Error"),
            ["Forbidden"] = Response("The caller lacks the role the method needs.", "Error"),
            ["NotFound"] = Response("No such route (errno 201), or no such item (errno 2).", "Error"),
            ["Unprocessable"] = new JsonObject
            {
                ["description"] = "The call failed: a call error, or validation errors by attribute.",
                ["content"] = Json(new JsonObject
                {
                    ["oneOf"] = new JsonArray(Ref("Error"), Ref("ValidationErrors")),
                }),
            },
            ["RateLimited"] = Response("Too many sign-in failures or anonymous calls; see Retry-After.", "Error"),
            ["InternalError"] = Response("A bug; the traceback only for an admin while the daemon logs at Debug.", "InternalError"),
        },
    };

    /// <summary>The security requirement of a method that needs a sign-in: any one scheme.</summary>
    public static JsonArray SignedIn() => new(
        new JsonObject { ["basic"] = new JsonArray() },
        new JsonObject { ["apiKey"] = new JsonArray() },
        new JsonObject { ["token"] = new JsonArray() });

    public static JsonObject Json(JsonNode schema) => new() { ["application/json"] = new JsonObject { ["schema"] = schema } };

    private static JsonObject Response(string description, string schema) => new()
    {
        ["description"] = description,
        ["content"] = Json(Ref(schema)),
    };

    private static JsonObject Ref(string schema) => new() { ["$ref"] = $"#/components/schemas/{schema}" };

    private static JsonObject String() => new() { ["type"] = "string" };

    private static JsonObject Object(params (string Name, JsonObject Schema)[] properties) => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject(properties.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)p.Schema))),
        ["required"] = new JsonArray(properties.Select(p => (JsonNode)p.Name).ToArray()),
    };
}
