namespace JobServer.Sdk.Query;

/// <summary>One parsed <c>order_by</c> entry such as <c>nulls_first:-expiretime</c>.</summary>
internal sealed record OrderKey(FieldPath Path, bool Descending, NullPlacement Nulls)
{
    public const string NullsFirstPrefix = "nulls_first:";
    public const string NullsLastPrefix = "nulls_last:";
    public const char DescendingPrefix = '-';

    public static OrderKey? TryParse(string text)
    {
        var nulls = NullPlacement.Smallest;
        if (text.StartsWith(NullsFirstPrefix, StringComparison.Ordinal))
        {
            nulls = NullPlacement.First;
            text = text[NullsFirstPrefix.Length..];
        }
        else if (text.StartsWith(NullsLastPrefix, StringComparison.Ordinal))
        {
            nulls = NullPlacement.Last;
            text = text[NullsLastPrefix.Length..];
        }

        var descending = text.Length > 0 && text[0] == DescendingPrefix;
        if (descending)
        {
            text = text[1..];
        }

        return text.Length == 0 ? null : new OrderKey(FieldPath.Parse(text), descending, nulls);
    }
}
