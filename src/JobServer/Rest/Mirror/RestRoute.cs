using JobServer.Registry;
using JobServer.Sdk;

namespace JobServer.Rest.Mirror;

/// <summary>One REST route of the mirror: the verb, the path under <c>/api/v2.0</c> and the method it calls.</summary>
/// <param name="Verb">GET, POST, PUT or DELETE.</param>
/// <param name="Path">The path with <c>{id}</c> for an item, such as <c>/user/id/{id}</c> or <c>/core/ping</c>.</param>
internal sealed record RestRoute(string Verb, string Path, MethodDescriptor Method, RestRouteKind Kind)
{
    /// <summary>The method is a job that reads an upload: the route takes multipart <c>data</c> + <c>file</c>.</summary>
    public bool IsUpload => Method.Job?.Pipes.HasFlag(JobPipes.Input) == true;

    /// <summary>The method is a job that writes an output: the route streams it as the response body.</summary>
    public bool IsDownload => Method.Job?.Pipes.HasFlag(JobPipes.Output) == true;

    /// <summary>The route's path has an item id.</summary>
    public bool HasId => Kind is RestRouteKind.GetInstance or RestRouteKind.UpdateInstance or RestRouteKind.DeleteInstance;

    /// <summary>A GET method whose two parameters are <c>filters</c> and <c>options</c>: both come from the query string.</summary>
    public bool IsFilterable => Kind == RestRouteKind.Query || (Kind == RestRouteKind.Method && RestRouteTable.IsFilterable(Method));
}
