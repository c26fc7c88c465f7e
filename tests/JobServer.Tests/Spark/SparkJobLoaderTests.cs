using JobServer.Sdk.Spark;
using JobServer.Spark.Jobs;
using spark.jobserver;

namespace JobServer.Tests.Spark;

/// <summary>Loads the built WordCount assembly as the binary store keeps it: a GUID-named <c>.bin</c> file.</summary>
public sealed class SparkJobLoaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("spark-loader-").FullName;

    [Fact]
    public void Load_TheUploadedVersion_InItsOwnLoadContext()
    {
        var binary = StoredCopy(typeof(WordCountExample).Assembly.Location);

        var job = SparkJobLoader.Load(binary, "spark.jobserver.WordCountExample");

        job.GetType().FullName.Should().Be("spark.jobserver.WordCountExample");
        job.GetType().Should().NotBeSameAs(typeof(WordCountExample), "the binary loads apart from the test's copy");
        job.Should().BeAssignableTo<ISparkJob>("the SDK is shared with the daemon");
    }

    [Fact]
    public void Load_AClassPath_FindsTheClassInALaterBinary_InOrder()
    {
        var other = StoredCopy(typeof(SparkJobLoaderTests).Assembly.Location);
        var wordCount = StoredCopy(typeof(WordCountExample).Assembly.Location);

        var job = SparkJobLoader.Load([other, wordCount], "spark.jobserver.WordCountExample");

        job.GetType().Assembly.Location.Should().Be(wordCount);
        job.Should().BeAssignableTo<ISparkJob>();
    }

    [Fact]
    public void Load_APublishedFolder_FindsTheAssemblyThatDefinesTheClass()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_folder, "published")).FullName;
        File.Copy(typeof(WordCountExample).Assembly.Location, Path.Combine(folder, "WordCount.dll"));
        File.WriteAllBytes(Path.Combine(folder, "native.dll"), "MZ not managed"u8.ToArray());

        var job = SparkJobLoader.Load([folder], "spark.jobserver.WordCountExample");

        job.GetType().Assembly.Location.Should().Be(Path.Combine(folder, "WordCount.dll"));
    }

    [Fact]
    public void Load_AnUnknownClass_IsClassNotFound()
    {
        var binary = StoredCopy(typeof(WordCountExample).Assembly.Location);

        FluentActions.Invoking(() => SparkJobLoader.Load(binary, "spark.jobserver.Nope"))
            .Should().Throw<SparkJobLoadException>()
            .Where(e => e.ClassNotFound && e.Message == "classPath spark.jobserver.Nope not found");
    }

    [Fact]
    public void Load_AClassThatIsNoSparkJob_FailsLoading()
    {
        var binary = StoredCopy(typeof(SparkJobLoaderTests).Assembly.Location);

        FluentActions.Invoking(() => SparkJobLoader.Load(binary, typeof(SparkJobLoaderTests).FullName!))
            .Should().Throw<SparkJobLoadException>().Where(e => !e.ClassNotFound);
    }

    [Fact]
    public void Load_NotAnAssembly_FailsLoading()
    {
        var binary = Path.Combine(_folder, "garbage.bin");
        File.WriteAllBytes(binary, "MZ not really"u8.ToArray());

        FluentActions.Invoking(() => SparkJobLoader.Load(binary, "spark.jobserver.WordCountExample"))
            .Should().Throw<SparkJobLoadException>().Where(e => !e.ClassNotFound);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string StoredCopy(string assemblyPath)
    {
        var copy = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".bin");
        File.Copy(assemblyPath, copy);
        return copy;
    }
}
