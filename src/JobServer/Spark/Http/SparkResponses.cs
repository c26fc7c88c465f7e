using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobServer.Spark.Http;

/// <summary>
/// spark-jobserver's bodies (reference §1.0): <c>{"status":"ERROR","result":"&lt;message&gt;"}</c>
/// (<c>completeWithErrorStatus</c>), <c>{"status":"&lt;label&gt;","result":{message, errorClass, stack}}</c>
/// (<c>completeWithException</c>) and <c>{"status":"SUCCESS"[,"result":…]}</c>; always <c>application/json</c>.
/// </summary>
internal static class SparkResponses
{
    /// <summary>spray-json writes <c>'</c>, <c>&lt;</c> and non-ASCII text as is; so do we (clients compare strings).
    /// The body is always <c>application/json</c>, never HTML, so no escaping for a browser's sake is needed.</summary>
    private static readonly JsonSerializerOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IResult Json(int status, JsonNode? body) =>
        Results.Text(body?.ToJsonString(Writer) ?? "null", "application/json", statusCode: status);

    public static IResult Error(int status, string message) =>
        Json(status, new JsonObject { ["status"] = "ERROR", ["result"] = message });

    public static IResult Exception(int status, string label, JsonObject exception) =>
        Json(status, new JsonObject { ["status"] = label, ["result"] = exception });

    public static IResult Success(int status, string? result = null)
    {
        var body = new JsonObject { ["status"] = "SUCCESS" };
        if (result is not null)
        {
            body["result"] = result;
        }

        return Json(status, body);
    }
}
