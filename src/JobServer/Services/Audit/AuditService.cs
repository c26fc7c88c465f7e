using System.ComponentModel;
using System.Text.Json.Nodes;
using JobServer.Sdk;
using JobServer.Sdk.Query;
using JobServer.Storage;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Services.Audit;

/// <summary>
/// <c>audit.query</c>: the stored audit log (sign-ins and calls that change state), for full administrators only —
/// it names every account's actions and addresses. Middlewared's query filters and options, run in SQL.
/// </summary>
internal sealed class AuditService(IDbContextFactory<JobServerDbContext> databases) : Service
{
    [Roles(Role.FullAdmin)]
    [Description("Audit events (sign-ins and calls that change state) matching the filters, shaped by the options; " +
                 "oldest first unless order_by says otherwise.")]
    public JsonNode? Query(JsonArray? filters = null, QueryOptions? options = null)
    {
        using var db = databases.CreateDbContext();
        // The stored rows as they are: nothing in them is secret (arguments were masked before they were stored).
        return QueryableFilter.Execute(db.Audit.AsNoTracking().OrderBy(a => a.Id), filters, options);
    }
}
