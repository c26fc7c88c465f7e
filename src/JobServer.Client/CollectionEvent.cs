using System.Text.Json;

namespace JobServer.Client;

/// <summary>One event of a subscribed collection, whichever dialect brought it.</summary>
/// <param name="Kind"><c>added</c>, <c>changed</c> or <c>removed</c>.</param>
/// <param name="Collection">The collection (<c>core.get_jobs</c>, <c>user.query</c>, …).</param>
/// <param name="Id">The entry's id (a number or a string).</param>
/// <param name="Fields">The entry (absent for <c>removed</c>).</param>
public sealed record CollectionEvent(string Kind, string Collection, JsonElement Id, JsonElement? Fields);
