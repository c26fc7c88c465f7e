using JobServer.Sdk.Errors;
using JobServer.Spark.Jobs;
using spark.jobserver;

namespace JobServer.Tests.Spark;

/// <summary>A class is found in a binary's metadata without loading it; a missing one or a non-assembly is refused.</summary>
public sealed class SparkClassInspectorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("spark-inspector-").FullName;

    [Fact]
    public void APublicClass_IsFound() =>
        FluentActions.Invoking(() => SparkClassInspector.RequireClass(WordCountDll(), "Dll", "spark.jobserver.WordCountExample"))
            .Should().NotThrow();

    [Theory]
    [InlineData("spark.jobserver.NoSuchJob")]
    [InlineData("WordCountExample")]
    [InlineData("spark.jobserver.wordcountexample")]
    public void AMissingClass_IsClassNotFound(string className) =>
        FluentActions.Invoking(() => SparkClassInspector.RequireClass(WordCountDll(), "Dll", className))
            .Should().Throw<CallError>().Where(e => e.Errno == Errno.ENOENT && e.Message == $"classPath {className} not found");

    [Fact]
    public void AFileThatIsNoAssembly_IsJobLoadingFailed()
    {
        var path = Path.Combine(_folder, "a.bin");
        File.WriteAllBytes(path, [0x50, 0x4B, 3, 4, 0, 0, 0, 0]);

        FluentActions.Invoking(() => SparkClassInspector.RequireClass(path, "Dll", "spark.jobserver.WordCountExample"))
            .Should().Throw<CallError>().Where(e => SparkJobFailure.Read(e.Extra)!.Value.Label == SparkJobFailure.LoadingFailed);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string WordCountDll() => typeof(WordCountExample).Assembly.Location;
}
