using System.Net.Http.Json;
using System.Text.Json;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Hosting;

/// <summary>
/// Issue 17 (operators): the executable's <c>--help</c> and <c>--version</c> answer and exit without starting (and
/// never take the switch beside them as a value), and the running daemon says its version.
/// </summary>
public sealed class ExecutableTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("--data-dir", "{dir}", "--help")]
    [InlineData("--help", "--port", "1")]
    [InlineData("--help", "--data-dir", "{dir}")]
    [InlineData("--version", "--help")]
    public async Task Help_WhereverItStands_PrintsTheSwitchesAndSettings_AndExitsWithoutStarting(params string[] args)
    {
        var (exitCode, lines, dataDir) = await RunAsync(args);

        exitCode.Should().Be(0);
        lines.Should().Contain(l => l.Contains("Usage:", StringComparison.Ordinal));
        lines.Should().Contain(l => l.TrimStart().StartsWith("--data-dir DIR", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("--version", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("JobServer:Jobs:MaxRunning = 0", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("JobServer:Metrics:Token = (none)", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("JobServer:Workers:PoolSize = 2", StringComparison.Ordinal),
            "every options class is listed, also those added after the list was written");
        lines.Should().NotContain(l => l.Contains("Now listening", StringComparison.Ordinal));
        Directory.Exists(dataDir).Should().BeFalse("nothing was started or created");
    }

    [Fact]
    public async Task EverySettingHelpLists_HasARowInTheConfigurationReference()
    {
        var (_, lines, _) = await RunAsync(["--help"]);
        var settings = lines.Select(l => l.Trim()).Where(l => l.StartsWith("JobServer:", StringComparison.Ordinal))
            .Select(l => l.Split(" = ")[0]).ToList();
        var reference = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "config.md"));
        reference = reference[reference.IndexOf("## Every setting", StringComparison.Ordinal)..];

        settings.Should().HaveCountGreaterThan(50);
        settings.Where(s => !reference.Contains($"| `{s}` |", StringComparison.Ordinal)).Should()
            .BeEmpty("docs/config.md \"Every setting\" describes every setting the daemon binds");
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("--version", "--data-dir", "{dir}")]
    [InlineData("--data-dir", "{dir}", "--version")]
    public async Task Version_PrintsTheVersion_AndExitsWithoutStarting(params string[] args)
    {
        var (exitCode, lines, dataDir) = await RunAsync(args);

        exitCode.Should().Be(0);
        lines.Should().ContainSingle().Which.Should().MatchRegex(@"^JobServer \d+\.\d+\.\d+");
        Directory.Exists(dataDir).Should().BeFalse();
    }

    [Fact]
    public async Task RunningDaemon_SaysTheVersionTheExecutablePrints_AtTheRootAndInCoreVersion()
    {
        var (_, lines, _) = await RunAsync(["--version"]);
        var printed = lines.Single()["JobServer ".Length..];
        await using var daemon = await Daemon.StartAsync();
        using var http = new HttpClient { BaseAddress = daemon.BaseUri };
        await using var anonymous = await daemon.ConnectAsync();

        var root = await http.GetFromJsonAsync<JsonElement>(new Uri("/", UriKind.Relative));
        var version = await anonymous.CallResultAsync("core.version");

        root.GetProperty("version").GetString().Should().Be(printed);
        version.GetString().Should().Be(printed, "core.version needs no sign-in");
    }

    /// <summary>Runs the executable with <c>{dir}</c> replaced by a data directory that does not exist.</summary>
    private static async Task<(int ExitCode, IReadOnlyList<string> Lines, string DataDir)> RunAsync(string[] args)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "jobserver-tests", "never-" + Guid.NewGuid().ToString("N"));
        await using var executable = DaemonExecutable.Start(args.Select(a => a.Replace("{dir}", dataDir,
            StringComparison.Ordinal)));
        var exitCode = await executable.WaitForExitAsync(ExitTimeout);
        return (exitCode, executable.Lines.Where(l => l.Length > 0).ToList(), dataDir);
    }
}
