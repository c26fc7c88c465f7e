using JobServer.Sdk.Errors;

namespace JobServer.Sdk.Query;

/// <summary>
/// The validation failures of the query engine, named as middlewared names them so clients see the same
/// <c>[EINVAL] query-filters: …</c> errors.
/// </summary>
internal static class QueryErrors
{
    public const string FiltersAttribute = "query-filters";
    public const string OptionsAttribute = "query-options";

    public static ValidationException Filter(string message) => new(FiltersAttribute, message, Errno.EINVAL);

    public static ValidationException Option(string message) => new(OptionsAttribute, message, Errno.EINVAL);

    public static ValidationException Option(string name, string message) =>
        new(OptionsAttribute + "." + name, message, Errno.EINVAL);
}
