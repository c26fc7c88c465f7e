namespace JobServer.Storage;

/// <summary>A persisted daemon setting: one JSON document per config service.</summary>
internal sealed class Setting
{
    public required string Key { get; set; }

    public required string Value { get; set; }
}
