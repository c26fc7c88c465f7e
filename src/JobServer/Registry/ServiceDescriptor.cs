using JobServer.Sdk;

namespace JobServer.Registry;

/// <summary>A registered service instance and what kind of service it is.</summary>
internal sealed record ServiceDescriptor(string Namespace, Service Instance, ServiceKind Kind, bool IsPrivate)
{
    public Type Type => Instance.GetType();
}

/// <summary>middlewared's three service types, as <c>core.get_services</c> names them.</summary>
internal enum ServiceKind
{
    Service,
    Config,
    Crud,
}
