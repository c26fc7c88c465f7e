namespace JobServer.Calls;

/// <summary>What a call produced: a value (with its declared type, for serialization) or an error.</summary>
internal readonly record struct CallOutcome(object? Value, Type ValueType, ErrorInfo? Error)
{
    public static CallOutcome Success(object? value, Type type) => new(value, type, null);

    public static CallOutcome Failure(ErrorInfo error) => new(null, typeof(void), error);

    public bool IsError => Error is not null;
}
