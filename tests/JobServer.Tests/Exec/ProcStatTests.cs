using JobServer.Services.Exec;

namespace JobServer.Tests.Exec;

public sealed class ProcStatTests
{
    [Fact]
    public void Parse_CommandNameWithSpacesAndParentheses_ReadsTheFieldsAfterTheLastParenthesis()
    {
        const string stat = "4242 (a b) (c)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 50";

        var parsed = ProcStat.Parse(4242, stat);

        parsed.Should().Be(new ProcStat(4242, 'S', 4242, 4242, 987654));
        parsed!.Value.IsLive.Should().BeTrue();
    }

    [Fact]
    public void Parse_Zombie_IsNotLive() =>
        ProcStat.Parse(7, "7 (sleep) Z 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55 0 0")!.Value.IsLive.Should().BeFalse();

    [Fact]
    public void Read_ThisProcess_HasAStartTimeThatDoesNotChange()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /proc is Linux's.
        }

        var first = ProcStat.Read(Environment.ProcessId);

        first.Should().NotBeNull();
        first!.Value.StartTime.Should().BePositive();
        ProcStat.Read(Environment.ProcessId)!.Value.StartTime.Should().Be(first.Value.StartTime);
    }
}
