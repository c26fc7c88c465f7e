using JobServer.IntegrationTests.Support;
using Xunit.Abstractions;

namespace JobServer.IntegrationTests.Accounts;

/// <summary>The sign-in storm probe, short: 50 clients at once against a small hash queue.</summary>
public sealed class SignInStormTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SignInStorm_FiftyClients_AllSignedInWithoutAnyOtherError()
    {
        // 50,000 iterations and room for 8 waiting: the queue fills, so clients are refused and must retry as told.
        await using var daemon = await Daemon.StartAsync(
            ["--JobServer:Auth:PasswordIterations=50000", "--JobServer:Auth:PasswordHashQueueLimit=8"]);

        var report = await SignInStorm.RunAsync(daemon.BaseUri, new SignInStormOptions
        {
            Clients = 50,
            Password = Daemon.RootPassword,
            Deadline = TimeSpan.FromMinutes(3),
        });

        output.WriteLine(report.ToString());
        report.Violations.Should().BeEmpty();
        report.Figures.Should().Contain(f => f.Measurement == "clients" && f.Value == 50);
    }
}
