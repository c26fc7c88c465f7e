using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Sdk.Errors;
using JobServer.Sdk.Query;

namespace JobServer.Sdk;

/// <summary>
/// A service over a collection: <c>query</c>, <c>get_instance</c>, <c>create</c>, <c>update</c> and <c>delete</c>,
/// with <c>added</c>/<c>changed</c>/<c>removed</c> events on the collection <c>&lt;namespace&gt;.query</c>.
/// Implementers write <see cref="ListAsync"/> and the <c>Do*</c> methods; a database-backed service overrides
/// <see cref="Query"/> to filter in SQL. Every method receives the caller (not a wire parameter), so a service can
/// scope what it shows or refuse changes by who asks (upstream's <c>@pass_app</c>).
/// </summary>
/// <typeparam name="TEntity">An item as clients see it.</typeparam>
/// <typeparam name="TCreate">The <c>create</c> payload.</typeparam>
/// <typeparam name="TUpdate">The <c>update</c> payload (fields left null keep their values).</typeparam>
public abstract class CrudService<TEntity, TCreate, TUpdate> : Service
    where TEntity : class, IHasId
{
    /// <summary>The name used in messages such as "User 5 does not exist"; the class name minus "Service".</summary>
    protected virtual string VerboseName
    {
        get
        {
            var name = GetType().Name;
            return name.EndsWith("Service", StringComparison.Ordinal) ? name[..^"Service".Length] : name;
        }
    }

    /// <summary>Returns the items that match the filters, shaped by the options (middlewared's query semantics).</summary>
    [Roles(Role.ReadonlyAdmin)]
    public virtual async ValueTask<JsonNode?> Query(ICallContext caller,
        JsonArray? filters = null, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        var items = await ListAsync(cancellationToken);
        return QueryEngine.Apply(items.Select(ToJson), filters, options);
    }

    /// <summary>Returns the item with the id, or fails with errno 2 (ENOENT).</summary>
    [Roles(Role.ReadonlyAdmin)]
    public virtual async ValueTask<JsonNode?> GetInstance(ICallContext caller,
        long id, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        var filters = new JsonArray(new JsonArray("id", "=", id));
        try
        {
            return await Query(caller, filters, (options ?? new QueryOptions()) with { Get = true }, cancellationToken);
        }
        catch (MatchNotFoundException)
        {
            throw new InstanceNotFoundException(
                string.Create(CultureInfo.InvariantCulture, $"{VerboseName} {id} does not exist"));
        }
    }

    /// <summary>Creates an item and returns it.</summary>
    public virtual async ValueTask<TEntity> Create(
        ICallContext caller, TCreate data, CancellationToken cancellationToken = default)
    {
        var created = await DoCreateAsync(caller, data, cancellationToken);
        Events.Publish(CollectionName, EventKind.Added, created.Id, ToJson(created));
        return created;
    }

    /// <summary>Changes an item and returns it.</summary>
    public virtual async ValueTask<TEntity> Update(
        ICallContext caller, long id, TUpdate data, CancellationToken cancellationToken = default)
    {
        var updated = await DoUpdateAsync(caller, id, data, cancellationToken);
        Events.Publish(CollectionName, EventKind.Changed, updated.Id, ToJson(updated));
        return updated;
    }

    /// <summary>Deletes an item.</summary>
    public virtual async ValueTask<bool> Delete(
        ICallContext caller, long id, CancellationToken cancellationToken = default)
    {
        await DoDeleteAsync(caller, id, cancellationToken);
        Events.Publish(CollectionName, EventKind.Removed, id, null);
        return true;
    }

    /// <summary>The collection events are sent on.</summary>
    protected string CollectionName => Namespace + ".query";

    /// <summary>Every item, for the in-memory query path.</summary>
    protected abstract ValueTask<IReadOnlyList<TEntity>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Creates an item; throw <see cref="ValidationException"/> for bad input.</summary>
    protected abstract ValueTask<TEntity> DoCreateAsync(
        ICallContext caller, TCreate data, CancellationToken cancellationToken);

    /// <summary>Changes an item; throw <see cref="InstanceNotFoundException"/> when it does not exist.</summary>
    protected abstract ValueTask<TEntity> DoUpdateAsync(
        ICallContext caller, long id, TUpdate data, CancellationToken cancellationToken);

    /// <summary>Deletes an item; throw <see cref="InstanceNotFoundException"/> when it does not exist.</summary>
    protected abstract ValueTask DoDeleteAsync(ICallContext caller, long id, CancellationToken cancellationToken);

    /// <summary>The "X 5 does not exist" error for an id.</summary>
    protected InstanceNotFoundException NotFound(long id) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{VerboseName} {id} does not exist"));

    /// <summary>An item as the wire shows it.</summary>
    protected static JsonObject ToJson(TEntity item) =>
        JsonSerializer.SerializeToNode(item, WireJson.Options)!.AsObject();
}
