namespace JobServer.Cluster;

/// <summary>
/// The id of the daemon that owns a data directory (<c>&lt;data-dir&gt;/node-instance</c>, made on first start).
/// The data-directory lock lets one daemon at a time use it, so a node whose name is held by the same instance
/// is this daemon's own previous run — dead for sure — while the same name held by another instance with a recent
/// heartbeat is a misconfigured second daemon, refused.
/// </summary>
internal static class NodeInstance
{
    public const string FileName = "node-instance";

    public static string ReadOrCreate(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing)
        {
            return existing;
        }

        var id = Guid.NewGuid().ToString("N");
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, id);
        File.Move(temporary, path, overwrite: true);
        return id;
    }
}
