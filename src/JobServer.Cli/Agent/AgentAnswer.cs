using System.Text.Json.Nodes;

namespace JobServer.Cli.Agent;

/// <summary>
/// A task's answer as the daemon takes it (<c>batch.agent.result</c>): the device's HTTP status and JSON body. When
/// the device gave none, the agent answers as a gateway does: 502 (unreachable, or interrupted and not repeated),
/// 504 (no answer in time), with <c>{"error": …}</c> saying why.
/// </summary>
internal sealed record AgentAnswer(int Status, JsonNode? Body)
{
    public static AgentAnswer Gateway(int status, string why) => new(status, new JsonObject { ["error"] = why });

    public JsonObject ToJson() => new() { ["status"] = Status, ["body"] = Body?.DeepClone() };

    public static AgentAnswer FromJson(JsonObject json) =>
        new((int)json["status"]!, json["body"]?.DeepClone());
}
