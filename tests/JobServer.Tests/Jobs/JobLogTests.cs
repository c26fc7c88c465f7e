using JobServer.Jobs;
using JobServer.Services.Exec;

namespace JobServer.Tests.Jobs;

public sealed class JobLogTests
{
    [Fact]
    public void Excerpt_ShortLog_IsWhole()
    {
        var path = Path.GetTempFileName();
        File.WriteAllLines(path, ["a", "b", "c"]);

        JobLog.Excerpt(path).Should().Be("a\nb\nc");
        File.Delete(path);
    }

    [Fact]
    public void Excerpt_LongLog_KeepsHeadAndTailAndCountsTheRest()
    {
        var path = Path.GetTempFileName();
        File.WriteAllLines(path, Enumerable.Range(1, 25).Select(i => $"line {i}"));

        var excerpt = JobLog.Excerpt(path)!.Split('\n');

        excerpt.Should().HaveCount(21);
        excerpt[0].Should().Be("line 1");
        excerpt[9].Should().Be("line 10");
        excerpt[10].Should().Be("... 5 more lines ...");
        excerpt[11].Should().Be("line 16");
        excerpt[20].Should().Be("line 25");
        File.Delete(path);
    }

    [Fact]
    public void Excerpt_NoFile_IsNull() => JobLog.Excerpt(null).Should().BeNull();

    [Theory]
    [InlineData("PROGRESS 50", true, 50, null)]
    [InlineData("PROGRESS 12.7 copying files", true, 12, "copying files")]
    [InlineData("PROGRESS 150 done", true, 100, "done")]
    [InlineData("PROGRESS x", false, 0, null)]
    [InlineData("progress 5", false, 0, null)]
    [InlineData("hello", false, 0, null)]
    public void ProgressLine_Parses(string line, bool ok, int percent, string? description)
    {
        ProgressLine.TryParse(line, out var p, out var d).Should().Be(ok);
        p.Should().Be(percent);
        d.Should().Be(description);
    }
}
