namespace JobServer.Sdk.Query;

/// <summary>Where an <c>order_by</c> key puts nulls.</summary>
internal enum NullPlacement
{
    /// <summary>Nulls are the smallest value: first ascending, last descending.</summary>
    Smallest,

    /// <summary><c>nulls_first:</c>, whatever the direction.</summary>
    First,

    /// <summary><c>nulls_last:</c>, whatever the direction.</summary>
    Last,
}
