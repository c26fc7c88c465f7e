namespace JobServer.Registry;

/// <summary>One parameter of a remote method, as the binder and the schema see it.</summary>
internal sealed record MethodParameter(
    string Name,
    Type Type,
    ParameterKind Kind,
    bool IsOptional,
    object? DefaultValue,
    bool AcceptsNull,
    bool IsSecret);
