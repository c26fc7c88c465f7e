using System.Text.Json;
using JobServer.Registry;
using JobServer.Sdk;

namespace JobServer.Protocol;

internal sealed partial class Dispatcher
{
    /// <summary>
    /// Binds a call's arguments and runs its method's call-time validator: every door (a WebSocket call,
    /// <c>core.bulk</c>, an upload, a download) refuses a call bound to fail here, before any job exists.
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
}
