using System.Diagnostics;

namespace JobServer.IntegrationTests.Hosting;

/// <summary>Issue 17 (operators): the systemd unit and the Dockerfile keep the hardening and the health check.</summary>
public sealed class DeployFilesTests
{
    private static readonly string Root = RepositoryPaths.Root;

    [Fact]
    public async Task SystemdUnit_HasADedicatedUserStateDirectoryAndHardening_AndVerifies()
    {
        var unitPath = Path.Combine(Root, "deploy", "jobserver.service");
        var unit = await File.ReadAllLinesAsync(unitPath);

        unit.Should().Contain(["DynamicUser=yes", "StateDirectory=jobserver", "StateDirectoryMode=0700",
            "ProtectSystem=strict", "NoNewPrivileges=yes", "PrivateTmp=yes", "ProtectHome=yes", "CapabilityBoundingSet="]);
        unit.Should().Contain(l => l.StartsWith("ExecStart=", StringComparison.Ordinal) &&
                                   l.Contains("--data-dir ${STATE_DIRECTORY}", StringComparison.Ordinal));
        if (File.Exists("/usr/bin/systemd-analyze"))
        {
            using var verify = Process.Start(new ProcessStartInfo("systemd-analyze", ["verify", unitPath])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            var complaints = await verify.StandardError.ReadToEndAsync();
            await verify.WaitForExitAsync();
            verify.ExitCode.Should().Be(0, complaints);
        }
    }

    [Fact]
    public async Task Dockerfile_HasAHealthCheckOnReadyz_AndRunsUnprivileged()
    {
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(Root, "Dockerfile"));

        dockerfile.Should().Contain("HEALTHCHECK").And.Contain("GET /readyz").And.Contain("USER app");
    }
}
