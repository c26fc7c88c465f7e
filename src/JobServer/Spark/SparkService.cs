using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Spark.Binaries;

namespace JobServer.Spark;

/// <summary>
/// The Spark dialect's methods: what <c>/binaries</c> (and next <c>/jobs</c>, <c>/contexts</c>) call through the
/// Dispatcher, so the HTTP door only translates and authorization, audit and error mapping exist once. Binaries
/// are code the daemon will run, so changing them takes FULL_ADMIN (the default); reading READONLY_ADMIN.
/// </summary>
[Namespace("spark")]
internal sealed class SparkService(SparkBinaryStore binaries, JobServer.Jobs.JobManager jobs) : Service
{
    [Job(Pipes = JobPipes.Input, Validator = typeof(SparkUploadValidator), Description = "Upload Spark binary {0}")]
    [Description("Stores the uploaded job binary as a new version of name (POST /binaries/<name>). content_type " +
                 "says its kind: application/java-archive, application/python-wheel, application/python-egg, " +
                 "application/zip, or a .NET assembly as application/octet-stream.")]
    public async Task<JsonObject> BinaryUpload(IJobContext job, string name, string content_type)
    {
        var type = SparkBinaryTypes.FromMediaType(content_type)
                   ?? throw new ValidationException(nameof(content_type), $"Unsupported binary type {content_type}");
        var stored = await binaries.SaveAsync(name, type, job.Input, job.Aborted);
        return Describe(stored, withName: true);
    }

    [Roles(Role.ReadonlyAdmin)]
    [Description("The newest version of every binary: {name: {binary-type, upload-time}} (GET /binaries).")]
    public async Task<JsonObject> BinaryQuery()
    {
        var listing = new JsonObject();
        foreach (var binary in await binaries.ListAsync(CancellationToken.None))
        {
            listing[binary.Name] = Describe(binary, withName: false);
        }

        return listing;
    }

    [Roles(Role.ReadonlyAdmin)]
    [Description("The newest version of a binary: {app-name, binary-type, upload-time} (GET /binaries/<name>).")]
    public async Task<JsonObject> BinaryGet(string name) =>
        Describe(await binaries.FindAsync(name, CancellationToken.None)
                 ?? throw new InstanceNotFoundException($"Can't find binary with name {name}"), withName: true);

    [Description("Deletes every version of a binary (DELETE /binaries/<name>); refused (EBUSY) while a " +
                 "spark.run job of it waits or runs.")]
    public async Task BinaryDelete(ICallContext caller, string name)
    {
        if (await JobsUsingAsync(caller, name) is { Count: > 0 } users)
        {
            throw new CallError($"Binary is in use by job(s): {string.Join(", ", users)}", Errno.EBUSY);
        }

        if (!await binaries.DeleteAsync(name, CancellationToken.None))
        {
            throw new InstanceNotFoundException($"can't find binary with name {name}");
        }
    }

    /// <summary>The spark ids of the waiting or running <c>spark.run</c> jobs with <paramref name="name"/> on their class path (any owner's:
    /// deleting takes FULL_ADMIN, who sees every job).</summary>
    private async Task<List<string>> JobsUsingAsync(ICallContext caller, string name)
    {
        var active = await jobs.QueryAsync(
            new JsonArray(new JsonArray("method", "=", "spark.run"), new JsonArray("state", "in", new JsonArray("WAITING", "RUNNING"))),
            null, caller, CancellationToken.None);
        return [.. (active as JsonArray ?? []).OfType<JsonObject>()
            .Where(job => Jobs.SparkDependency.NamesOf(job["arguments"] as JsonArray).Contains(name))
            .Select(job => Jobs.SparkJobIds.ToSpark(job["id"]!.GetValue<long>()))];
    }

    /// <summary>spark-jobserver's binary info; dates as its <c>appendInstant(3)</c>: UTC with milliseconds.</summary>
    private static JsonObject Describe(SparkBinaryInfo binary, bool withName)
    {
        var info = new JsonObject();
        if (withName)
        {
            info["app-name"] = binary.Name;
        }

        info["binary-type"] = binary.Type.ToString();
        info["upload-time"] = binary.UploadTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return info;
    }
}
