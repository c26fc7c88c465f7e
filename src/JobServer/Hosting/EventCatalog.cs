using JobServer.Events;
using JobServer.Registry;
using JobServer.Sdk;

namespace JobServer.Hosting;

/// <summary>The collections the daemon publishes: one <c>&lt;namespace&gt;.query</c> per CRUD service.</summary>
internal static class EventCatalog
{
    public static void RegisterAll(EventHub hub, MethodRegistry registry)
    {
        foreach (var service in registry.Services.Where(s => s.Kind == ServiceKind.Crud && !s.IsPrivate))
        {
            hub.Register(new EventDescriptor(
                service.Namespace + ".query",
                $"Changes to the {service.Namespace} collection",
                caller => caller.HasRole(Role.ReadonlyAdmin)));
        }
    }
}
