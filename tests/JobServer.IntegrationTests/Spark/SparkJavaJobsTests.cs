using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using JobServer.IntegrationTests.Rest;
using JobServer.Probes;
using static JobServer.IntegrationTests.Spark.SparkJobsClient;

namespace JobServer.IntegrationTests.Spark;

/// <summary>
/// Java jobs: the example word count compiled by <c>javac</c> and packed as a jar by the test, uploaded, and run
/// by <c>java</c> through the daemon's runner — the seed's curl works against the jar as printed.
/// </summary>
[Collection(SparkCollection.Name)]
public sealed class SparkJavaJobsTests(SparkDaemon fixture)
{
    [CommandFact("javac")]
    public async Task TheSeedsCurl_AgainstTheJavaWordCount_FinishesWithTheWordCounts_SyncAndAsync()
    {
        using var root = fixture.Root;
        await UploadJarAsync(root, "jtest");

        var (status, started) = await PostAsync(root, "appName=jtest&classPath=spark.jobserver.WordCountExample",
            "input.string = a b c a b see");
        var finished = await WaitForEndAsync(root, started.GetProperty("jobId").GetString()!);
        var (syncStatus, sync) = await PostAsync(root, $"appName=jtest&classPath={WordCount}&sync=true&timeout=60",
            """{"input": {"string": "é é x"}}""");

        status.Should().Be(HttpStatusCode.Accepted);
        finished.GetProperty("status").GetString().Should().Be("FINISHED");
        finished.GetProperty("result").GetRawText().Should().Be("""{"a":2,"b":2,"c":1,"see":1}""");
        syncStatus.Should().Be(HttpStatusCode.OK);
        sync.GetProperty("result").GetProperty("é").GetInt32().Should().Be(2);
    }

    [CommandFact("javac")]
    public async Task ARefusedConfig_IsValidationFailed_AndAMissingClass_404BeforeAnyJob()
    {
        using var root = fixture.Root;
        await UploadJarAsync(root, "jtest");

        var (refusedStatus, refused) = await PostAsync(root, $"appName=jtest&classPath={WordCount}&sync=true&timeout=60", "other = 1");
        var (missingStatus, missing) = await PostAsync(root, "appName=jtest&classPath=spark.jobserver.NoSuchJob", "input.string = a");

        refusedStatus.Should().Be(HttpStatusCode.BadRequest);
        refused.GetProperty("status").GetString().Should().Be("VALIDATION FAILED");
        refused.GetProperty("result").GetProperty("message").GetString().Should().Be("No input.string config param");
        missingStatus.Should().Be(HttpStatusCode.NotFound);
        missing.GetRawText().Should().Be("""{"status":"ERROR","result":"classPath spark.jobserver.NoSuchJob not found"}""");
    }

    [CommandFact("javac")]
    public async Task AJavaJob_UsesAClassFromADependentJar_OnItsClassPath()
    {
        using var root = fixture.Root;
        var classes = Directory.CreateTempSubdirectory("spark-javac-cp-").FullName;
        try
        {
            var library = await WriteSourceAsync(classes, "lib/Shouter.java", """
                package lib;
                public final class Shouter {
                    public static String shout(String word) { return word.toUpperCase() + "!"; }
                }
                """);
            var job = await WriteSourceAsync(classes, "job/ShoutJob.java", """
                package job;
                public final class ShoutJob {
                    public static String run(java.util.Map<String, String> config, String configJson) {
                        return "\"" + lib.Shouter.shout(config.get("input.string")) + "\"";
                    }
                }
                """);
            await JavacAsync(classes, library, job);
            await UploadAsync(root, "j-lib", Jar(classes, "lib/Shouter.class"), "application/java-archive");
            await UploadAsync(root, "j-main", Jar(classes, "job/ShoutJob.class"), "application/java-archive");

            var (status, body) = await PostAsync(root, "appName=j-main&classPath=job.ShoutJob&sync=true&timeout=60",
                "input.string = hey\ndependent-jar-uris = [\"j-lib\"]");

            status.Should().Be(HttpStatusCode.OK, body.GetRawText());
            body.GetProperty("result").GetString().Should().Be("HEY!");
        }
        finally
        {
            Directory.Delete(classes, recursive: true);
        }
    }

    private static async Task<string> WriteSourceAsync(string folder, string path, string text)
    {
        var full = Path.Combine(folder, "src", path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, text);
        return full;
    }

    private static async Task JavacAsync(string classes, params string[] sources)
    {
        using var javac = Process.Start(new ProcessStartInfo("javac", ["-d", classes, .. sources]) { RedirectStandardError = true })!;
        var errors = await javac.StandardError.ReadToEndAsync();
        await javac.WaitForExitAsync();
        javac.ExitCode.Should().Be(0, errors);
    }

    private static byte[] Jar(string classes, string entry)
    {
        using var jar = new MemoryStream();
        using (var archive = new ZipArchive(jar, ZipArchiveMode.Create, leaveOpen: true))
        {
            archive.CreateEntryFromFile(Path.Combine(classes, entry), entry);
        }

        return jar.ToArray();
    }

    /// <summary>examples/WordCount/java compiled with javac and packed as a jar (a zip of the class files).</summary>
    private static async Task UploadJarAsync(RestClient client, string name)
    {
        var source = Path.Combine(RepositoryPaths.Root, "examples", "WordCount", "java", "spark", "jobserver", "WordCountExample.java");
        var classes = Directory.CreateTempSubdirectory("spark-javac-").FullName;
        try
        {
            await JavacAsync(classes, source);

            using var jar = new MemoryStream();
            using (var archive = new ZipArchive(jar, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var file in Directory.EnumerateFiles(classes, "*.class", SearchOption.AllDirectories))
                {
                    archive.CreateEntryFromFile(file, Path.GetRelativePath(classes, file).Replace('\\', '/'));
                }
            }

            using var response = await client.SendAsync(HttpMethod.Post, $"/binaries/{name}",
                SparkDaemon.Binary(jar.ToArray(), "application/java-archive"));
            response.StatusCode.Should().Be(HttpStatusCode.Created);
        }
        finally
        {
            Directory.Delete(classes, recursive: true);
        }
    }
}
