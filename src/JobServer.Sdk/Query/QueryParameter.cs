using System.Linq.Expressions;

namespace JobServer.Sdk.Query;

/// <summary>
/// A filter's operand as a field read from a holder object, the shape a C# closure gives: EF Core turns it into a
/// SQL parameter, so one query shape is compiled once and its plan reused. A bare <c>Expression.Constant</c> is
/// part of EF's query-cache key instead: every new value (each job id of <c>[["id","=",n]]</c>) compiled the whole
/// query again, most of a sync Spark job's daemon CPU.
/// </summary>
internal static class QueryParameter
{
    public static MemberExpression Of(object? value, Type type)
    {
        var holder = Activator.CreateInstance(typeof(Holder<>).MakeGenericType(type), value)!;
        return Expression.Field(Expression.Constant(holder), nameof(Holder<object>.Value));
    }

    private sealed class Holder<T>(T value)
    {
        public readonly T Value = value;
    }
}
