namespace JobServer.Rest.Mirror;

/// <summary>How a REST route shapes its call (reference §8): the CRUD and Config resources, or a plain method.</summary>
internal enum RestRouteKind
{
    /// <summary><c>GET /{ns}</c> → <c>query</c>, filters and options from the query string.</summary>
    Query,

    /// <summary><c>POST /{ns}</c> → <c>create(body)</c>.</summary>
    Create,

    /// <summary><c>GET /{ns}/id/{id}</c> → <c>get_instance(id)</c>.</summary>
    GetInstance,

    /// <summary><c>PUT /{ns}/id/{id}</c> → <c>update(id, body)</c>.</summary>
    UpdateInstance,

    /// <summary><c>DELETE /{ns}/id/{id}</c> → <c>delete(id[, body])</c>.</summary>
    DeleteInstance,

    /// <summary><c>GET /{ns}</c> of a config service → <c>config()</c>.</summary>
    Config,

    /// <summary><c>PUT /{ns}</c> of a config service → <c>update(body)</c>.</summary>
    ConfigUpdate,

    /// <summary><c>GET|POST /{ns}/{method}</c>: any other method.</summary>
    Method,
}
