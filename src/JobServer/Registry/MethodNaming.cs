using System.Reflection;
using System.Text.Json;
using JobServer.Sdk;

namespace JobServer.Registry;

/// <summary>middlewared's naming rules for services and methods.</summary>
internal static class MethodNaming
{
    /// <summary>The explicit <see cref="NamespaceAttribute"/>, else the class name minus "Service", lower-cased.</summary>
    public static string NamespaceOf(Type serviceType)
    {
        var explicitName = serviceType.GetCustomAttribute<NamespaceAttribute>(inherit: false);
        if (explicitName is not null)
        {
            return explicitName.Name;
        }

        var name = serviceType.Name;
        if (name.EndsWith("Service", StringComparison.Ordinal) && name.Length > "Service".Length)
        {
            name = name[..^"Service".Length];
        }

        return name.ToLowerInvariant();
    }

    /// <summary>The method's snake_case name, without an <c>Async</c> suffix.</summary>
    public static string MethodNameOf(MethodInfo method)
    {
        var name = method.Name;
        if (name.EndsWith("Async", StringComparison.Ordinal) && name.Length > "Async".Length)
        {
            name = name[..^"Async".Length];
        }

        return JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
    }
}
