using System.Text.Json.Nodes;
using JobServer.Registry;
using JobServer.Rest.Mirror;

namespace JobServer.Rest.OpenApi;

/// <summary>One route as an OpenAPI operation: its parameters and body from the method's JSON Schemas, its result.</summary>
internal static class OpenApiOperation
{
    public static JsonObject Of(RestRoute route)
    {
        var method = route.Method;
        var operation = new JsonObject
        {
            ["operationId"] = method.Name,
            ["tags"] = new JsonArray(method.Service.Namespace),
            ["summary"] = method.Name,
            ["description"] = Description(route),
        };
        var parameters = Parameters(route);
        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        if (RequestBody(route) is { } body)
        {
            operation["requestBody"] = body;
        }

        var responses = new JsonObject { ["200"] = Success(route) };
        foreach (var (status, name) in OpenApiComponents.ErrorResponses)
        {
            responses[status] = new JsonObject { ["$ref"] = $"#/components/responses/{name}" };
        }

        operation["responses"] = responses;
        // A no-auth method answers without credentials too ({} is "none needed").
        operation["security"] = method.Access.NoAuth
            ? new JsonArray(new JsonObject(), new JsonObject { ["basic"] = new JsonArray() })
            : OpenApiComponents.SignedIn();
        return operation;
    }

    private static string Description(RestRoute route)
    {
        var method = route.Method;
        var text = method.Description ?? $"Calls {method.Name}.";
        if (method.IsJob)
        {
            text += route.IsDownload
                ? " A job: its output is the response body."
                : " A job: answers its id, or with ?wait=true its result (or error).";
        }

        if (route.IsUpload)
        {
            text += " Takes multipart/form-data: the part `data` (the JSON arguments) first, then `file`.";
        }

        var roles = method.Access.NoAuth ? "no sign-in" : string.Join(" or ", method.Access.Roles);
        return $"{text} Access: {roles}.";
    }

    private static JsonArray Parameters(RestRoute route)
    {
        var parameters = new JsonArray();
        var items = route.Method.Accepts["prefixItems"] as JsonArray ?? [];
        if (route.HasId)
        {
            parameters.Add(new JsonObject
            {
                ["name"] = "id",
                ["in"] = "path",
                ["required"] = true,
                ["schema"] = items.Count > 0 ? OpenApiSchema.Copy(items[0]) : new JsonObject { ["type"] = "integer" },
            });
        }

        if (route.IsFilterable)
        {
            parameters.Add(Query("filters", new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = new JsonObject { ["type"] = "string" },
            }, "Filters: field=value, or field__op=value with op eq, neq, gt, lt, gte, lte, regex (integers, " +
               "true, false and null are converted). Also extra.<key>=value.", explode: true));
            parameters.Add(Query("limit", new JsonObject { ["type"] = "integer", ["minimum"] = 0 }, "At most this many items."));
            parameters.Add(Query("offset", new JsonObject { ["type"] = "integer", ["minimum"] = 0 }, "Skip this many items."));
            parameters.Add(Query("count", new JsonObject { ["type"] = "boolean" }, "Answer the number of matches."));
            parameters.Add(Query("sort", new JsonObject { ["type"] = "string" }, "Sort keys, comma-separated; -key descends."));
        }

        if (route.Method.IsJob && !route.IsDownload)
        {
            parameters.Add(Query("wait", new JsonObject { ["type"] = "boolean" }, "Wait for the job; answer its result."));
        }

        if (route.IsDownload)
        {
            parameters.Add(Query("filename", new JsonObject { ["type"] = "string" }, "The attachment's file name."));
        }

        return parameters;
    }

    private static JsonObject Query(string name, JsonObject schema, string description, bool explode = false)
    {
        var parameter = new JsonObject
        {
            ["name"] = name,
            ["in"] = "query",
            ["required"] = false,
            ["description"] = description,
            ["schema"] = schema,
        };
        if (explode)
        {
            parameter["style"] = "form";
            parameter["explode"] = true;
        }

        return parameter;
    }

    /// <summary>The body's schema: the one argument itself, or an object keyed by the parameter names.</summary>
    private static JsonObject? RequestBody(RestRoute route)
    {
        var wire = route.Method.WireParameters;
        var items = route.Method.Accepts["prefixItems"] as JsonArray ?? [];
        var first = route.HasId ? 1 : 0; // the id is in the path
        if (route.IsFilterable || route.Kind == RestRouteKind.Config || wire.Count <= first ||
            route.Kind == RestRouteKind.GetInstance)
        {
            return route.IsUpload ? Upload(new JsonObject()) : null;
        }

        JsonObject schema;
        bool required;
        if (wire.Count - first == 1)
        {
            schema = OpenApiSchema.Copy(items[first]);
            required = !wire[first].IsOptional;
        }
        else
        {
            var properties = new JsonObject();
            for (var i = first; i < wire.Count; i++)
            {
                properties[wire[i].Name] = OpenApiSchema.Copy(items[i]);
            }

            schema = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = properties,
                ["required"] = new JsonArray(wire.Skip(first).Where(p => !p.IsOptional).Select(p => (JsonNode)p.Name).ToArray()),
                ["additionalProperties"] = false,
            };
            required = wire.Skip(first).Any(p => !p.IsOptional);
        }

        return route.IsUpload
            ? Upload(schema)
            : new JsonObject { ["required"] = required, ["content"] = OpenApiComponents.Json(schema) };
    }

    private static JsonObject Upload(JsonObject data) => new()
    {
        ["required"] = true,
        ["content"] = new JsonObject
        {
            ["multipart/form-data"] = new JsonObject
            {
                ["schema"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["data"] = new JsonObject
                        {
                            ["type"] = "string",
                            ["contentMediaType"] = "application/json",
                            ["description"] = "The arguments as JSON, shaped like this schema: " + data.ToJsonString(),
                        },
                        ["file"] = new JsonObject
                        {
                            ["type"] = "string",
                            ["format"] = "binary",
                            ["contentMediaType"] = "application/octet-stream",
                        },
                    },
                    ["required"] = new JsonArray("data", "file"),
                },
            },
        },
    };

    private static JsonObject Success(RestRoute route)
    {
        var method = route.Method;
        if (route.IsDownload)
        {
            return new JsonObject
            {
                ["description"] = "The job's output.",
                ["content"] = new JsonObject
                {
                    ["application/octet-stream"] = new JsonObject
                    {
                        ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" },
                    },
                },
            };
        }

        var result = OpenApiSchema.Copy(method.Returns);
        return method.IsJob
            ? new JsonObject
            {
                ["description"] = "The job's id; with ?wait=true, its result.",
                ["content"] = OpenApiComponents.Json(new JsonObject
                {
                    ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer", ["description"] = "The job's id." }, result),
                }),
            }
            : new JsonObject { ["description"] = "The method's result.", ["content"] = OpenApiComponents.Json(result) };
    }
}
