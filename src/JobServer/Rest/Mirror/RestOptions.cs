namespace JobServer.Rest.Mirror;

/// <summary>Limits of the REST mirror (<c>JobServer:Rest</c>).</summary>
internal sealed class RestOptions
{
    public const string Section = "JobServer:Rest";

    /// <summary>The largest JSON body (or upload <c>data</c> part) a REST call may send; larger ones get 413.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;
}
