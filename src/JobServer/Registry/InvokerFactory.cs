using System.Linq.Expressions;
using System.Reflection;

namespace JobServer.Registry;

/// <summary>Compiles a <see cref="MethodInvoker"/> for a method, whatever it returns (sync, Task, ValueTask).</summary>
internal static class InvokerFactory
{
    public static (MethodInvoker Invoker, Type ResultType) Create(MethodInfo method)
    {
        var service = Expression.Parameter(typeof(object), "service");
        var arguments = Expression.Parameter(typeof(object?[]), "arguments");
        var parameters = method.GetParameters();
        var typedArguments = new Expression[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var element = Expression.ArrayIndex(arguments, Expression.Constant(i));
            typedArguments[i] = Expression.Convert(element, parameters[i].ParameterType);
        }

        var call = Expression.Call(Expression.Convert(service, method.DeclaringType!), method, typedArguments);
        var returnType = method.ReturnType;

        if (returnType == typeof(void))
        {
            var action = Expression.Lambda<Action<object, object?[]>>(call, service, arguments).Compile();
            return ((s, a) =>
            {
                action(s, a);
                return ValueTask.FromResult<object?>(null);
            }, typeof(void));
        }

        var body = Expression.Lambda<Func<object, object?[], object?>>(
            Expression.Convert(call, typeof(object)), service, arguments).Compile();

        if (returnType == typeof(Task))
        {
            return (async (s, a) =>
            {
                await ((Task)body(s, a)!);
                return null;
            }, typeof(void));
        }

        if (returnType == typeof(ValueTask))
        {
            return (async (s, a) =>
            {
                await ((ValueTask)body(s, a)!);
                return null;
            }, typeof(void));
        }

        if (returnType.IsGenericType)
        {
            var definition = returnType.GetGenericTypeDefinition();
            var resultType = returnType.GetGenericArguments()[0];
            if (definition == typeof(Task<>))
            {
                return (Adapt(nameof(AwaitTask), resultType, body), resultType);
            }

            if (definition == typeof(ValueTask<>))
            {
                return (Adapt(nameof(AwaitValueTask), resultType, body), resultType);
            }
        }

        return ((s, a) => ValueTask.FromResult(body(s, a)), returnType);
    }

    private static MethodInvoker Adapt(string adapter, Type resultType, Func<object, object?[], object?> body)
    {
        var generic = typeof(InvokerFactory).GetMethod(adapter, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(resultType);
        return (MethodInvoker)generic.Invoke(null, [body])!;
    }

    private static MethodInvoker AwaitTask<T>(Func<object, object?[], object?> body) =>
        async (s, a) => await ((Task<T>)body(s, a)!);

    private static MethodInvoker AwaitValueTask<T>(Func<object, object?[], object?> body) =>
        async (s, a) => await ((ValueTask<T>)body(s, a)!);
}
