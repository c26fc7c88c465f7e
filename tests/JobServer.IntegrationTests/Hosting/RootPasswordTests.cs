using System.Text.RegularExpressions;
using JobServer.Hosting;
using JobServer.IntegrationTests.Accounts;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Hosting;

/// <summary>
/// Issue 12 items 3 and 4: a generated root password is shown once on the console and never logged; a lost one is
/// recovered at the host with <c>reset-password</c>; <c>JOBSERVER_ROOT_PASSWORD</c> on a later start is ignored
/// out loud.
/// </summary>
public sealed partial class RootPasswordTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task GeneratedRootPassword_IsPrintedOnceOnTheConsole_AndNoLogEventCarriesIt()
    {
        var dataDir = Directory.CreateTempSubdirectory("jobserver-generated").FullName;
        try
        {
            await using var daemon = DaemonExecutable.Start(
                ["--urls", "http://127.0.0.1:0", "--data-dir", dataDir, "--JobServer:LogFormat=json",
                    $"--JobServer:Auth:PasswordIterations={ProbeCredentials.PasswordIterations}"],
                new Dictionary<string, string> { ["JOBSERVER_ROOT_PASSWORD"] = "" });
            var listening = await daemon.WaitForLineAsync(ListeningOn(), StartTimeout);

            var lines = daemon.Lines;
            var notice = lines.ToList().FindIndex(line => line.Contains("It is shown only this once", StringComparison.Ordinal));
            notice.Should().BePositive("the password is framed on the console");
            var password = lines.Skip(notice + 1).First(line => line.Trim().Length > 0 && !line.StartsWith('{')).Trim();
            password.Should().MatchRegex("^[A-Za-z0-9_-]{24}$");
            lines.Count(line => line.Contains(password, StringComparison.Ordinal)).Should().Be(1, "printed once");
            var events = lines.Where(line => line.StartsWith('{')).ToList();
            events.Should().Contain(line => line.Contains("generated password", StringComparison.Ordinal));
            events.Should().NotContain(line => line.Contains("\"Password\"", StringComparison.Ordinal));
            await using var client = await DdpClient.ConnectAsync(
                new Uri(new Uri(ListeningOn().Match(listening).Groups[1].Value), "/websocket"));
            (await client.CallResultAsync("auth.login", "root", password)).GetBoolean().Should().BeTrue();
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task RootPasswordVariable_OnALaterStart_IsIgnored_AndTheLogSaysSo()
    {
        var dataDir = Directory.CreateTempSubdirectory("jobserver-later").FullName;
        string[] args = ["--urls", "http://127.0.0.1:0", "--data-dir", dataDir,
            $"--JobServer:Auth:PasswordIterations={ProbeCredentials.PasswordIterations}"];
        try
        {
            await using (var first = DaemonExecutable.Start(args,
                             new Dictionary<string, string> { ["JOBSERVER_ROOT_PASSWORD"] = "first-password" }))
            {
                await first.WaitForLineAsync(ListeningOn(), StartTimeout);
            }

            await using var second = DaemonExecutable.Start(args,
                new Dictionary<string, string> { ["JOBSERVER_ROOT_PASSWORD"] = "second-password" });
            var listening = await second.WaitForLineAsync(ListeningOn(), StartTimeout);

            second.Lines.Should().Contain(line => line.Contains(
                "JOBSERVER_ROOT_PASSWORD is set but accounts already exist: it is ignored", StringComparison.Ordinal));
            await using var client = await DdpClient.ConnectAsync(
                new Uri(new Uri(ListeningOn().Match(listening).Groups[1].Value), "/websocket"));
            (await client.CallResultAsync("auth.login", "root", "second-password")).GetBoolean().Should().BeFalse();
            (await client.CallResultAsync("auth.login", "root", "first-password")).GetBoolean().Should().BeTrue();
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [SqliteOnlyFact("password-reset opens <data-dir>/jobserver.db (docs/cluster.md)")]
    public async Task ResetPassword_DaemonStopped_SetsTheGivenPassword_AndUnlocksTheAccount()
    {
        var dataDir = Directory.CreateTempSubdirectory("jobserver-reset").FullName;
        try
        {
            await using (var daemon = await Daemon.StartAsync(dataDir: dataDir))
            {
                await using var root = await daemon.ConnectAsRootAsync();
                await root.CreateUserAsync("helper", ["FULL_ADMIN"]);
                await using var helper = await daemon.ConnectAsAsync("helper");
                // root's password lost, and root locked besides.
                await helper.CallResultAsync("user.update", 1, new { password = "nobody-knows-it", locked = true });
            }

            var (exitCode, output, errors) = await ResetAsync(
                ["root", "--data-dir", dataDir, "--JOBSERVER_ROOT_PASSWORD=recovered-password"]);

            exitCode.Should().Be(0, errors);
            output.Should().Contain("root: new password set, account unlocked (roles: FULL_ADMIN)");
            output.Should().NotContain("recovered-password");
            await using var restarted = await Daemon.StartAsync(dataDir: dataDir);
            await using var client = await restarted.ConnectAsync();
            (await client.CallResultAsync("auth.login", "root", "recovered-password")).GetBoolean().Should().BeTrue();
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [SqliteOnlyTheory("password-reset opens <data-dir>/jobserver.db (docs/cluster.md)")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ResetPassword_GeneratedOrFromStdin_SignsIn(bool fromStdin)
    {
        var dataDir = Directory.CreateTempSubdirectory("jobserver-reset").FullName;
        try
        {
            await (await Daemon.StartAsync(dataDir: dataDir)).DisposeAsync();

            var (exitCode, output, errors) = await ResetAsync(
                fromStdin ? ["root", "--data-dir", dataDir, "--password-stdin"] : ["root", "--data-dir", dataDir],
                stdin: "piped-password\n");

            exitCode.Should().Be(0, errors);
            var lines = output.Split('\n');
            var password = fromStdin
                ? "piped-password"
                : lines.SkipWhile(line => !line.Contains("It is shown only this once", StringComparison.Ordinal)).Skip(1)
                    .First(line => line.Trim().Length > 0).Trim();
            await using var restarted = await Daemon.StartAsync(dataDir: dataDir);
            await using var client = await restarted.ConnectAsync();
            (await client.CallResultAsync("auth.login", "root", password)).GetBoolean().Should().BeTrue();
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [SqliteOnlyFact("password-reset opens <data-dir>/jobserver.db (docs/cluster.md)")]
    public async Task ResetPassword_WhileTheDaemonRuns_IsRefusedNamingIt()
    {
        await using var daemon = await Daemon.StartAsync();

        var (exitCode, _, errors) = await ResetAsync(["root", "--data-dir", daemon.DataDir, "--JOBSERVER_ROOT_PASSWORD=x"]);

        exitCode.Should().Be(1);
        errors.Should().Contain($"is in use by process {Environment.ProcessId}");
        await using var client = await daemon.ConnectAsync();
        (await client.CallResultAsync("auth.login", "root", "x")).GetBoolean().Should().BeFalse();
    }

    [SqliteOnlyFact("password-reset opens <data-dir>/jobserver.db (docs/cluster.md)")]
    public async Task ResetPassword_UnknownAccountOrNoDatabase_FailsAndChangesNothing()
    {
        var dataDir = Directory.CreateTempSubdirectory("jobserver-reset").FullName;
        try
        {
            var (noDatabase, _, noDatabaseErrors) = await ResetAsync(["root", "--data-dir", dataDir]);
            Directory.EnumerateFileSystemEntries(dataDir).Should().BeEmpty("a mistyped --data-dir gets no new database");
            await (await Daemon.StartAsync(dataDir: dataDir)).DisposeAsync();
            var (unknown, _, unknownErrors) = await ResetAsync(["nobody", "--data-dir", dataDir]);
            var (usage, _, _) = await ResetAsync([]);

            noDatabase.Should().Be(1);
            noDatabaseErrors.Should().Contain("There is no database at");
            unknown.Should().Be(1);
            unknownErrors.Should().Contain("There is no account nobody");
            usage.Should().Be(2);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output, string Errors)> ResetAsync(string[] args, string stdin = "")
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        string[] settings = [$"--JobServer:Auth:PasswordIterations={ProbeCredentials.PasswordIterations}",
            "--Serilog:MinimumLevel:Default=Warning"];
        var exitCode = await PasswordResetCommand.RunAsync(args.Length == 0 ? args : [.. args, .. settings], output,
            errors, new StringReader(stdin));
        return (exitCode, output.ToString(), errors.ToString());
    }

    /// <summary>Kestrel's line in either log format (text, or compact JSON with the address as a property).</summary>
    [GeneratedRegex(@"Now listening on.*?(http://[0-9.]+:[0-9]+)")]
    private static partial Regex ListeningOn();
}
