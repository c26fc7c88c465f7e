using System.Reflection;
using System.Text.Json.Nodes;
using JobServer.Sdk;

namespace JobServer.Registry;

/// <summary>Everything the Dispatcher needs to authorize, bind and invoke one remote method.</summary>
internal sealed record MethodDescriptor(
    string Name,
    ServiceDescriptor Service,
    MethodInfo Method,
    IReadOnlyList<MethodParameter> Parameters,
    MethodInvoker Invoker,
    Type ResultType,
    MethodAccess Access,
    JobAttribute? Job,
    string? Description)
{
    /// <summary>The parameters clients pass positionally.</summary>
    public IReadOnlyList<MethodParameter> WireParameters { get; } =
        Parameters.Where(p => p.Kind == ParameterKind.Wire).ToArray();

    /// <summary>The method acts on the connection it is called on (<see cref="ParameterKind.LiveSession"/>).</summary>
    public bool NeedsLiveSession { get; } = Parameters.Any(p => p.Kind == ParameterKind.LiveSession);

    /// <summary>JSON Schema of the positional parameters (an array schema), for <c>core.get_methods</c>.</summary>
    public JsonObject Accepts { get; init; } = [];

    /// <summary>JSON Schema of the result.</summary>
    public JsonObject Returns { get; init; } = [];

    /// <summary>The job's call-time check (<see cref="JobAttribute.Validator"/>), run before its job is created.</summary>
    public ICallValidator? Validator { get; init; }

    public bool IsPrivate => Access.IsPrivate;

    public bool IsJob => Job is not null;

    /// <summary>The short method name after the namespace, such as <c>get_instance</c>.</summary>
    public string ShortName => Name[(Name.LastIndexOf('.') + 1)..];
}
