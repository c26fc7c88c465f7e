namespace JobServer.Spark.Binaries;

/// <summary>The newest version of a binary, as the listing and <c>GET /binaries/&lt;name&gt;</c> show it.</summary>
internal sealed record SparkBinaryInfo(long Id, string Name, SparkBinaryType Type, DateTimeOffset UploadTime, string Path);
