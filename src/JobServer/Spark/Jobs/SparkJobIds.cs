using System.Globalization;

namespace JobServer.Spark.Jobs;

/// <summary>
/// spark-jobserver's job ids are UUIDs; the daemon's are integers. The spark id is derived from the engine's id,
/// and back, with no table: <c>00000000-0000-8000-8000-&lt;12 hex digits&gt;</c> (a version-8 UUID, RFC 9562, whose
/// custom bits are the job id). A lookup table would need a migration, a write per job and could disagree with the
/// job store after a crash; a derived id cannot, and survives restarts with the job itself.
/// </summary>
internal static class SparkJobIds
{
    private const string Prefix = "00000000-0000-8000-8000-";

    /// <summary>The largest job id the 48-bit tail holds (the engine numbers jobs from 1 upwards).</summary>
    private const long MaxJobId = 0xFFFF_FFFF_FFFF;

    public static string ToSpark(long jobId) =>
        jobId is > 0 and <= MaxJobId
            ? Prefix + jobId.ToString("x12", CultureInfo.InvariantCulture)
            : throw new ArgumentOutOfRangeException(nameof(jobId), jobId, "Not a job id");

    /// <summary>The engine's id of a spark job id; false for anything this daemon did not hand out.</summary>
    public static bool TryParse(string? sparkId, out long jobId)
    {
        jobId = 0;
        return sparkId is { Length: 36 } &&
               sparkId.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) &&
               long.TryParse(sparkId.AsSpan(Prefix.Length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out jobId) &&
               jobId > 0;
    }

    /// <summary>The name of a job's ad-hoc context, in spark-jobserver's shape (<c>b7ea0eb5-&lt;class&gt;</c>).</summary>
    public static string AdHocContextName(string sparkId, string className) => $"{sparkId[^8..]}-{className}";
}
