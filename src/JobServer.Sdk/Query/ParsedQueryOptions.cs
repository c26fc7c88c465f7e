namespace JobServer.Sdk.Query;

/// <summary>Validated <see cref="QueryOptions"/>, with its order and select lists parsed.</summary>
internal sealed record ParsedQueryOptions(
    IReadOnlyList<OrderKey> OrderBy,
    IReadOnlyList<SelectEntry> Select,
    bool Count,
    bool Get,
    int Offset,
    int Limit);
