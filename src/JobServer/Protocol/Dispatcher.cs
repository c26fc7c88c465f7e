using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Protocol.Inbound;
using JobServer.Registry;
using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.Protocol;

/// <summary>
/// The one path of every remote call, whatever the protocol: look up → authorize → bind and validate → invoke →
/// map errors. Protocols only translate their messages to and from this.
/// </summary>
internal sealed partial class Dispatcher(
    MethodRegistry registry, Jobs.JobManager jobs, Auth.CallAdmission admission, ILogger<Dispatcher> logger)
{
    public async ValueTask<CallOutcome> CallAsync(
        Session session, string methodName, JsonElement parameters, CallOptions options,
        CancellationToken cancellationToken)
    {
        MethodDescriptor? method = null;
        var caller = session.Caller;
        try
        {
            method = Resolve(methodName, options.AllowPrivate);
            Authorize(caller, method);
            admission.Admit(caller, method); // anonymous rate limit; keeps a session's sign-in token alive
            if (options.ParametersProblem is { } problem)
            {
                // After lookup and authorization, as any validation error: a client learns nothing more.
                throw RefusedParameters(method, problem);
            }

            var arguments = BindAndValidate(method, parameters, caller);
            if (method.IsJob)
            {
                // A job answers at once with its id (once durable); it runs on the queue with its own context.
                var job = await jobs.SubmitAsync(method, arguments, parameters, caller, options.MessageId);
                return CallOutcome.Success(job.Id, typeof(long));
            }

            FillContextArguments(method, arguments, caller, session, cancellationToken);
            var result = await method.Invoker(method.Service.Instance, arguments);
            return CallOutcome.Success(result, method.ResultType);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is CallError or ValidationException or MatchNotFoundException)
        {
            return CallOutcome.Failure(ErrorMapper.FromException(e));
        }
#pragma warning disable CA1031 // A method's unexpected failure becomes an error answer; the connection lives on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogUnexpectedFailure(logger, e, methodName, caller.SessionId);
            return CallOutcome.Failure(ErrorMapper.FromException(e));
        }
    }

    /// <summary>Finds a method or throws middlewared's errors for a bad name, unknown service or method.</summary>
    public MethodDescriptor Resolve(string methodName, bool allowPrivate = false)
    {
        var dot = methodName.LastIndexOf('.');
        if (dot <= 0 || dot == methodName.Length - 1)
        {
            throw new CallError("Invalid method name", Errno.EBADMSG);
        }

        var serviceName = methodName[..dot];
        if (!registry.TryGetService(serviceName, out var service) || (service.IsPrivate && !allowPrivate))
        {
            throw new CallError($"Service '{serviceName}' not found", Errno.ENOMETHOD);
        }

        if (!registry.TryGetMethod(methodName, out var method) || (method.IsPrivate && !allowPrivate))
        {
            throw new CallError($"Method '{methodName[(dot + 1)..]}' not found in '{serviceName}'", Errno.ENOMETHOD);
        }

        return method;
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

    public static void Authorize(ICallContext caller, MethodDescriptor method)
    {
        if (method.Access.NoAuth)
        {
            return;
        }

        if (!caller.IsAuthenticated)
        {
            throw new CallError("Not authenticated", Errno.ENOTAUTHENTICATED);
        }

        if (!method.Access.Allows(caller))
        {
            throw new CallError("Not authorized", Errno.EACCES);
        }
    }

    /// <summary>
    /// A method that acts on its connection (<see cref="MethodDescriptor.NeedsLiveSession"/>) is refused, before
    /// anything runs, when the call came without one: from <c>core.bulk</c>, a job or an HTTP door.
    /// </summary>
    private static void RequireLiveSession(MethodDescriptor method, ILiveSession? session)
    {
        if (method.NeedsLiveSession && session is null)
        {
            throw new CallError($"{method.Name} needs a live connection (a WebSocket session); it cannot be called " +
                                "from core.bulk, a job or over HTTP", Errno.ENOTSUP);
        }
    }

    private static void FillContextArguments(MethodDescriptor method, object?[] arguments, Caller caller,
        ILiveSession? session, CancellationToken cancellationToken)
    {
        RequireLiveSession(method, session);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Method {Method} failed unexpectedly (session {SessionId})")]
    private static partial void LogUnexpectedFailure(ILogger logger, Exception exception, string method, string sessionId);
}

/// <summary>Per-call switches a protocol passes to the Dispatcher.</summary>
/// <param name="AllowPrivate">Private methods may be called (JSON-RPC <c>private_methods</c> option).</param>
/// <param name="MessageId">The request id, recorded in a job's <c>message_ids</c>.</param>
/// <param name="ParametersProblem">Why the inbound parse refused the call's parameters: the call then fails
/// validation (after lookup and authorization) and nothing runs.</param>
internal readonly record struct CallOptions(
    bool AllowPrivate = false, JsonNode? MessageId = null, InboundProblem? ParametersProblem = null);
