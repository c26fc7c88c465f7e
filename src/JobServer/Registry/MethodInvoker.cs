namespace JobServer.Registry;

/// <summary>
/// Calls a service method with bound arguments and returns its (awaited) result. Built once per method from an
/// expression tree, so a call costs a delegate invocation, not reflection.
/// </summary>
internal delegate ValueTask<object?> MethodInvoker(object service, object?[] arguments);
