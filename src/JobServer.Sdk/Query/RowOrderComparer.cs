using System.Text.Json.Nodes;

namespace JobServer.Sdk.Query;

/// <summary>
/// Orders rows by all <c>order_by</c> keys at once, the first key primary. Upstream sorts once per key, which
/// makes the last key primary; we chose the order SQL and every other API use (see docs/api.md). Missing
/// fields sort as null.
/// </summary>
internal sealed class RowOrderComparer(IReadOnlyList<OrderKey> keys) : IComparer<JsonObject>
{
    public int Compare(JsonObject? x, JsonObject? y)
    {
        foreach (var key in keys)
        {
            var a = Resolve(x, key.Path);
            var b = Resolve(y, key.Path);
            var aIsNull = JsonValues.IsNull(a);
            var bIsNull = JsonValues.IsNull(b);
            if (key.Nulls != NullPlacement.Smallest && aIsNull != bIsNull)
            {
                var nullFirst = key.Nulls == NullPlacement.First ? -1 : 1;
                return aIsNull ? nullFirst : -nullFirst;
            }

            var result = JsonValues.CompareForOrder(a, b);
            if (result != 0)
            {
                return key.Descending ? -result : result;
            }
        }

        return 0;
    }

    private static JsonNode? Resolve(JsonObject? row, FieldPath path) =>
        path.TryResolve(row, out var value) ? value : null;
}
