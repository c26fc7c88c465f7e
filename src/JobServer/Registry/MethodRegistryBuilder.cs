using System.ComponentModel;
using System.Reflection;
using JobServer.Calls;
using JobServer.Sdk;
using JobServer.Sessions;

namespace JobServer.Registry;

/// <summary>Turns service instances into descriptors: names, access rules, parameters, invokers and schemas.</summary>
internal static class MethodRegistryBuilder
{
    /// <param name="services">The service instances.</param>
    /// <param name="createValidator">Creates a job's <see cref="ICallValidator"/> from its type (the daemon
    /// passes its container; without it the type needs a parameterless constructor).</param>
    public static MethodRegistry Build(IEnumerable<Service> services, Func<Type, object>? createValidator = null)
    {
        createValidator ??= type => Activator.CreateInstance(type)!;
        var serviceDescriptors = new List<ServiceDescriptor>();
        var methodDescriptors = new List<MethodDescriptor>();
        foreach (var instance in services)
        {
            var type = instance.GetType();
            var ns = MethodNaming.NamespaceOf(type);
            instance.Namespace = ns;
            var service = new ServiceDescriptor(ns, instance, KindOf(type), type.IsDefined(typeof(PrivateAttribute)));
            // Several classes may contribute to one namespace (core's introspection, jobs, subscriptions...);
            // the namespace is listed once, each method is bound to its own class's instance.
            if (!serviceDescriptors.Any(s => s.Namespace == ns))
            {
                serviceDescriptors.Add(service);
            }

            foreach (var method in RemoteMethodsOf(type))
            {
                var descriptor = Describe(service, method, createValidator);
                if (methodDescriptors.Any(m => m.Name == descriptor.Name))
                {
                    throw new InvalidOperationException($"Two services define the method '{descriptor.Name}'");
                }

                methodDescriptors.Add(descriptor);
            }
        }

        return new MethodRegistry(serviceDescriptors, methodDescriptors);
    }

    private static IEnumerable<MethodInfo> RemoteMethodsOf(Type type)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            if (method.IsSpecialName || method.IsGenericMethodDefinition ||
                method.DeclaringType == typeof(object) || method.DeclaringType == typeof(Service))
            {
                continue;
            }

            // An override and its base share one name; the most derived one wins (GetMethods lists it first).
            if (seen.Add(MethodNaming.MethodNameOf(method)))
            {
                yield return method;
            }
        }
    }

    private static MethodDescriptor Describe(ServiceDescriptor service, MethodInfo method,
        Func<Type, object> createValidator)
    {
        var shortName = MethodNaming.MethodNameOf(method);
        var parameters = method.GetParameters().Select(DescribeParameter).ToArray();
        var job = method.GetCustomAttribute<JobAttribute>();
        if (job is not null && (parameters.Length == 0 || parameters[0].Kind != ParameterKind.JobContext))
        {
            throw new InvalidOperationException(
                $"Job method {service.Type.FullName}.{method.Name} must take an IJobContext as its first parameter");
        }

        // A job outlives its call and runs without a connection: it has its stored caller, never a live session.
        if (job is not null && parameters.Any(p => p.Kind is ParameterKind.Caller or ParameterKind.LiveSession))
        {
            throw new InvalidOperationException(
                $"Job method {service.Type.FullName}.{method.Name} cannot take a Caller or an ILiveSession; " +
                "take an ICallContext");
        }

        if (job is { Process: true })
        {
            RequireWorkerConstructible(service.Type, method);
        }

        var (invoker, resultType) = InvokerFactory.Create(method);
        var descriptor = new MethodDescriptor(
            service.Namespace + "." + shortName,
            service,
            method,
            parameters,
            invoker,
            resultType,
            AccessOf(service, method, shortName),
            job,
            method.GetCustomAttribute<DescriptionAttribute>()?.Description);
        return descriptor with
        {
            Accepts = MethodSchema.Accepts(descriptor),
            Returns = MethodSchema.Returns(job is null ? resultType : typeof(long)),
            Validator = ValidatorOf(service, method, job, createValidator),
        };
    }

    /// <summary>
    /// A process job's service is created again in each worker, where only loggers and the clock exist: refuse to
    /// start with a service that needs more, rather than fail every one of its jobs.
    /// </summary>
    private static void RequireWorkerConstructible(Type type, MethodInfo method)
    {
        static bool WorkerCanGive(Type parameter) =>
            parameter == typeof(TimeProvider) || parameter == typeof(Microsoft.Extensions.Logging.ILoggerFactory) ||
            (parameter.IsGenericType && parameter.GetGenericTypeDefinition() == typeof(Microsoft.Extensions.Logging.ILogger<>));

        if (!type.GetConstructors().Any(c => c.GetParameters().All(p => WorkerCanGive(p.ParameterType))))
        {
            throw new InvalidOperationException(
                $"Job method {type.FullName}.{method.Name} runs in a worker process (Process = true), so {type.Name} " +
                "needs a public constructor that takes only ILogger<T>, ILoggerFactory or TimeProvider");
        }
    }

    private static ICallValidator? ValidatorOf(ServiceDescriptor service, MethodInfo method, JobAttribute? job,
        Func<Type, object> createValidator)
    {
        if (job?.Validator is not { } type)
        {
            return null;
        }

        // A wrong type is the service author's mistake: refuse to start rather than skip the check at every call.
        if (!typeof(ICallValidator).IsAssignableFrom(type))
        {
            throw new InvalidOperationException(
                $"The validator {type.FullName} of {service.Type.FullName}.{method.Name} does not implement ICallValidator");
        }

        return (ICallValidator)createValidator(type);
    }

    private static MethodParameter DescribeParameter(ParameterInfo parameter)
    {
        var kind = parameter.ParameterType switch
        {
            var t when t == typeof(ICallContext) => ParameterKind.CallContext,
            var t when t == typeof(Caller) => ParameterKind.Caller,
            var t when t == typeof(ILiveSession) => ParameterKind.LiveSession,
            var t when t == typeof(CancellationToken) => ParameterKind.CancellationToken,
            var t when t == typeof(IJobContext) => ParameterKind.JobContext,
            _ => ParameterKind.Wire,
        };
        // A context per parameter: NullabilityInfoContext is not thread-safe, and daemons (tests) start in parallel.
        var acceptsNull = !parameter.ParameterType.IsValueType
            ? new NullabilityInfoContext().Create(parameter).WriteState != NullabilityState.NotNull
            : Nullable.GetUnderlyingType(parameter.ParameterType) is not null;
        return new MethodParameter(
            JsonNaming(parameter.Name ?? $"arg{parameter.Position}"),
            parameter.ParameterType,
            kind,
            parameter.HasDefaultValue,
            parameter.HasDefaultValue ? parameter.DefaultValue : null,
            acceptsNull,
            parameter.IsDefined(typeof(SecretAttribute)));
    }

    private static MethodAccess AccessOf(ServiceDescriptor service, MethodInfo method, string shortName)
    {
        var isPrivate = service.IsPrivate || method.IsDefined(typeof(PrivateAttribute), inherit: true);
        var noAuthAttribute = method.GetCustomAttribute<NoAuthAttribute>(inherit: true);
        var noAuth = noAuthAttribute is not null;
        var roles = method.GetCustomAttribute<RolesAttribute>(inherit: true)?.Roles ?? DefaultRoles(shortName);
        return new MethodAccess(isPrivate, noAuth, roles, noAuthAttribute?.RateLimited ?? true);
    }

    /// <summary>Reading methods are open to read-only admins; everything else needs a full admin.</summary>
    private static string[] DefaultRoles(string shortName) =>
        shortName is "query" or "config" || shortName.StartsWith("get_", StringComparison.Ordinal)
            ? [Role.ReadonlyAdmin]
            : [Role.FullAdmin];

    private static ServiceKind KindOf(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(ConfigService<>))
            {
                return ServiceKind.Config;
            }

            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(CrudService<,,>))
            {
                return ServiceKind.Crud;
            }
        }

        return ServiceKind.Service;
    }

    private static string JsonNaming(string name) =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
