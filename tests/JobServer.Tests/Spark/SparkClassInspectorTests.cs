using JobServer.Sdk.Errors;
using JobServer.Spark.Jobs;
using spark.jobserver;

namespace JobServer.Tests.Spark;

/// <summary>A class is found in a binary's metadata without loading it; a missing one is not; a non-assembly is refused.</summary>
public sealed class SparkClassInspectorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("spark-inspector-").FullName;

    [Fact]
    public void Defines_APublicClass_IsTrue() =>
        SparkClassInspector.Defines(WordCountDll(), "Dll", "spark.jobserver.WordCountExample").Should().BeTrue();

    [Theory]
    [InlineData("spark.jobserver.NoSuchJob")]
    [InlineData("WordCountExample")]
    [InlineData("spark.jobserver.wordcountexample")]
    public void Defines_AMissingClass_IsFalse(string className) =>
        SparkClassInspector.Defines(WordCountDll(), "Dll", className).Should().BeFalse();

    [Fact]
    public void Defines_AFileThatIsNoAssembly_IsJobLoadingFailed()
    {
        var path = Path.Combine(_folder, "a.bin");
        File.WriteAllBytes(path, [0x50, 0x4B, 3, 4, 0, 0, 0, 0]);

        FluentActions.Invoking(() => SparkClassInspector.Defines(path, "Dll", "spark.jobserver.WordCountExample"))
            .Should().Throw<CallError>().Where(e => SparkJobFailure.Read(e.Extra)!.Value.Label == SparkJobFailure.LoadingFailed);
    }

    [Fact]
    public void SparkDefinedClasses_AnswersAVersionAgainWithoutReadingIt()
    {
        // A stored version never changes; the answer outlives even the file (what shows it was not read again).
        var path = Path.Combine(_folder, "version.bin");
        File.Copy(WordCountDll(), path);
        var defined = new SparkDefinedClasses();
        defined.Defines(path, "Dll", "spark.jobserver.WordCountExample").Should().BeTrue();
        defined.Defines(path, "Dll", "spark.jobserver.NoSuchJob").Should().BeFalse();
        File.Delete(path);

        defined.Defines(path, "Dll", "spark.jobserver.WordCountExample").Should().BeTrue();
        defined.Defines(path, "Dll", "spark.jobserver.NoSuchJob").Should().BeFalse();
        FluentActions.Invoking(() => defined.Defines(path, "Dll", "spark.jobserver.Other")).Should().Throw<IOException>();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string WordCountDll() => typeof(WordCountExample).Assembly.Location;
}
