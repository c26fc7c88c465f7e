using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace JobServer.Rest.Mirror;

/// <summary>Source-generated serialization of the mirror's own JSON (arguments and error bodies).</summary>
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class RestJsonContext : JsonSerializerContext;
