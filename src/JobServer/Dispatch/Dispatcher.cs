using JobServer.Calls;
using JobServer.Registry;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Sessions;

namespace JobServer.Dispatch;

/// <summary>
/// The one path of every call, whatever door it came through (DDP, JSON-RPC, <c>/_upload</c>, <c>core.download</c>,
/// <c>core.bulk</c>): look up → authorize → admit → check the connection it needs → bind and validate → invoke or
/// submit the job → map errors. Doors only translate their messages to a <see cref="CallRequest"/> and render the
/// <see cref="CallResult"/>.
/// </summary>
internal sealed partial class Dispatcher(
    MethodRegistry registry,
    Jobs.JobManager jobs,
    IJobAwaiter awaiter,
    Auth.CallAdmission admission,
    Lifecycle.StopSignal stop,
    Audit.AuditLog audit,
    ILogger<Dispatcher> logger)
{
    /// <summary>
    /// Runs one call. A failure of the call (a refusal, a validation error, the method's own error, a bug) is the
    /// result's error, never an exception; only the caller's own cancellation throws.
    /// </summary>
    public async ValueTask<CallResult> InvokeAsync(CallRequest request, CancellationToken cancellationToken) =>
        Audited(request, await RunAsync(request, cancellationToken));

    private async ValueTask<CallResult> RunAsync(CallRequest request, CancellationToken cancellationToken)
    {
        var caller = request.Caller;
        try
        {
            stop.ThrowIfStopping(); // ESHUTDOWN: a stopping daemon takes no new call (its open sockets still answer)
            var method = Resolve(request.Method, request.AllowPrivate);
            Authorize(caller, method);
            admission.Admit(caller, method); // anonymous rate limit; keeps a session's sign-in token alive
            if (request.Pipes is not null && !method.IsJob)
            {
                throw new CallError($"{request.Method} is not a job", Errno.EINVAL);
            }

            RequireLiveSession(method, request.Session);
            if (request.ParametersProblem is { } problem)
            {
                // After lookup and authorization, as any validation error: a client learns nothing more.
                throw RefusedParameters(method, problem);
            }

            var arguments = BindAndValidate(method, request.Parameters, caller);
            if (method.IsJob)
            {
                return await RunJobAsync(method, arguments, request, cancellationToken);
            }

            FillContextArguments(method, arguments, caller, request.Session, cancellationToken);
            var result = await method.Invoker(method.Service.Instance, arguments);
            return CallOutcome.Success(result, method.ResultType);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (ErrorMapper.IsCallFailure(e))
        {
            return CallOutcome.Failure(ErrorMapper.FromException(e));
        }
#pragma warning disable CA1031 // A method's unexpected failure becomes an error answer; the door lives on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogUnexpectedFailure(logger, e, request.Method, caller.SessionId);
            return CallOutcome.Failure(ErrorMapper.FromException(e));
        }
    }

    /// <summary>A job method the caller may call, or the error a call of it would get (a door checks what it
    /// may offer before it prepares the pipes: <c>core.download</c>'s output file).</summary>
    public MethodDescriptor ResolveJob(ICallContext caller, string methodName, bool allowPrivate = false)
    {
        var method = Resolve(methodName, allowPrivate);
        Authorize(caller, method);
        return method.IsJob ? method : throw new CallError($"{methodName} is not a job", Errno.EINVAL);
    }

    /// <summary>
    /// Submits the job (it answers once durable; it runs on the queue with its own context), then answers its id or
    /// waits for it as the request asks. The job is in the result even when waiting for it failed.
    /// </summary>
    private async Task<CallResult> RunJobAsync(MethodDescriptor method, object?[] arguments, CallRequest request,
        CancellationToken cancellationToken)
    {
        var job = await jobs.SubmitAsync(
            method, arguments, request.Parameters, request.Caller, request.MessageId, request.Pipes);
        try
        {
            var outcome = request.Jobs switch
            {
                JobHandling.AwaitOutcome => await awaiter.WaitForOutcomeAsync(job.Id, cancellationToken),
                JobHandling.AwaitResult => CallOutcome.Success(
                    await jobs.WaitAsync(job.Id, request.Caller, cancellationToken), typeof(System.Text.Json.Nodes.JsonNode)),
                _ => CallOutcome.Success(job.Id, typeof(long)),
            };
            return new CallResult(outcome, job);
        }
        catch (Exception e) when (ErrorMapper.IsCallFailure(e))
        {
            return new CallResult(CallOutcome.Failure(ErrorMapper.FromException(e)), job);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Method {Method} failed unexpectedly (session {SessionId})")]
    private static partial void LogUnexpectedFailure(ILogger logger, Exception exception, string method, string sessionId);
}
