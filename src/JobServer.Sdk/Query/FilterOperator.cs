namespace JobServer.Sdk.Query;

/// <summary>The operators of a filter condition (upstream's <c>opmap</c>), without the <c>C</c> prefix.</summary>
internal enum FilterOperator
{
    Equal,
    NotEqual,
    GreaterThan,
    GreaterOrEqual,
    LessThan,
    LessOrEqual,
    Match,
    In,
    NotIn,
    ReverseIn,
    ReverseNotIn,
    StartsWith,
    NotStartsWith,
    EndsWith,
    NotEndsWith,
}
