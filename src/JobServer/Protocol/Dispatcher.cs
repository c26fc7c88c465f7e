using System.Text.Json;
using System.Text.Json.Nodes;
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
    MethodRegistry registry, Jobs.JobManager jobs, Auth.CallAdmission admission, Hosting.StopSignal stop,
    ILogger<Dispatcher> logger)
{
    public async ValueTask<CallOutcome> CallAsync(
        Session session, string methodName, JsonElement parameters, CallOptions options,
        CancellationToken cancellationToken)
    {
        MethodDescriptor? method = null;
        try
        {
            stop.ThrowIfStopping(); // ESHUTDOWN: a stopping daemon takes no new call (its open sockets still answer)
            method = Resolve(methodName, options.AllowPrivate);
            Authorize(session, method);
            admission.Admit(session, method); // anonymous rate limit; keeps a session's sign-in token alive
            if (options.ParametersProblem is { } problem)
            {
                // After lookup and authorization, as any validation error: a client learns nothing more.
                throw RefusedParameters(method, problem);
            }

            var arguments = BindAndValidate(method, parameters, session);
            if (method.IsJob)
            {
                // A job answers at once with its id (once durable); it runs on the queue with its own context.
                var job = await jobs.SubmitAsync(method, arguments, parameters, session, options.MessageId);
                return CallOutcome.Success(job.Id, typeof(long));
            }

            FillContextArguments(method, arguments, session, cancellationToken);
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
            LogUnexpectedFailure(logger, e, methodName, session.SessionId);
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

    public static void Authorize(ICallContext session, MethodDescriptor method)
    {
        if (method.Access.NoAuth)
        {
            return;
        }

        if (!session.IsAuthenticated)
        {
            throw new CallError("Not authenticated", Errno.ENOTAUTHENTICATED);
        }

        if (!method.Access.Allows(session))
        {
            throw new CallError("Not authorized", Errno.EACCES);
        }
    }

    private static void FillContextArguments(
        MethodDescriptor method, object?[] arguments, ICallContext session, CancellationToken cancellationToken)
    {
        for (var i = 0; i < method.Parameters.Count; i++)
        {
            switch (method.Parameters[i].Kind)
            {
                case ParameterKind.CallContext:
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
