using System.Text.Json;
using JobServer.Calls;
using JobServer.Registry;
using JobServer.Sdk.Errors;
using JobServer.Sdk;
using JobServer.Sessions;

namespace JobServer.Dispatch;

internal sealed partial class Dispatcher
{
    /// <summary>
    /// Binds a call's arguments and runs its method's call-time validator: every door refuses a call bound to fail
    /// here, before any job exists.
    /// </summary>
    private static object?[] BindAndValidate(MethodDescriptor method, JsonElement parameters, ICallContext caller)
    {
        var arguments = ArgumentBinder.Bind(method, parameters);
        method.Validator?.Validate(caller, WireArguments(method, arguments));
        return arguments;
    }

    /// <summary>The bound arguments of the wire parameters alone, in positional order.</summary>
    private static object?[] WireArguments(MethodDescriptor method, object?[] arguments)
    {
        var wire = new object?[method.WireParameters.Count];
        var position = 0;
        for (var i = 0; i < method.Parameters.Count; i++)
        {
            if (method.Parameters[i].Kind == ParameterKind.Wire)
            {
                wire[position++] = arguments[i];
            }
        }

        return wire;
    }

    /// <summary>
    /// A call whose parameters hold a duplicate key or a lone surrogate fails as a wrong argument would, naming
    /// it the way the binder does (<c>user_create.data.username</c>), and runs nothing.
    /// </summary>
    private static ArgumentValidationException RefusedParameters(MethodDescriptor method, InboundProblem problem)
    {
        var index = problem.ParameterIndex ?? 0;
        var wire = method.WireParameters;
        var name = index < wire.Count ? wire[index].Name : $"params[{index}]";
        return new ArgumentValidationException(
            $"{ArgumentBinder.AttributePrefix(method)}.{name}{problem.InnerPath}", problem.Message);
    }

    /// <summary>The values of the context parameters: the caller, the connection, the cancellation.</summary>
    private static void FillContextArguments(MethodDescriptor method, object?[] arguments, Caller caller,
        ILiveSession? session, CancellationToken cancellationToken)
    {
        for (var i = 0; i < method.Parameters.Count; i++)
        {
            switch (method.Parameters[i].Kind)
            {
                case ParameterKind.CallContext:
                case ParameterKind.Caller:
                    arguments[i] = caller;
                    break;
                case ParameterKind.LiveSession:
                    arguments[i] = session;
                    break;
                case ParameterKind.CancellationToken:
                    arguments[i] = cancellationToken;
                    break;
                default:
                    break;
            }
        }
    }
}
