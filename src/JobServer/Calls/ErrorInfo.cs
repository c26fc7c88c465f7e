using System.Text.Json.Nodes;

namespace JobServer.Calls;

/// <summary>
/// The one internal error model every protocol renders in its own shape (DDP error object, JSON-RPC error,
/// HTTP body): errno, its name, the VALIDATION type, the reason text, an optional trace and structured extra.
/// </summary>
internal sealed record ErrorInfo(
    int Errno,
    string ErrName,
    string? Type,
    string Reason,
    JsonObject? Trace,
    JsonNode? Extra)
{
    public bool IsValidation => Type == "VALIDATION";
}
