namespace JobServer.IntegrationTests.Support;

/// <summary>How many jobs the caller can see: a refused call must leave this unchanged (issue 12).</summary>
public static class JobCount
{
    public static async Task<long> OfAsync(DdpClient client) =>
        (await client.CallResultAsync("core.get_jobs", Array.Empty<object>(), new { count = true })).GetInt64();
}
