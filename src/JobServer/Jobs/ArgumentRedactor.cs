using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Registry;

namespace JobServer.Jobs;

/// <summary>The call's arguments as a job shows them: <c>[Secret]</c> parameters replaced by a mask.</summary>
internal static class ArgumentRedactor
{
    public const string Mask = "********";

    public static JsonArray Redact(MethodDescriptor method, JsonElement arguments)
    {
        var redacted = new JsonArray();
        if (arguments.ValueKind != JsonValueKind.Array)
        {
            return redacted;
        }

        var index = 0;
        foreach (var argument in arguments.EnumerateArray())
        {
            var secret = index < method.WireParameters.Count && method.WireParameters[index].IsSecret;
            redacted.Add(secret ? JsonValue.Create(Mask) : JsonNode.Parse(argument.GetRawText()));
            index++;
        }

        return redacted;
    }
}
