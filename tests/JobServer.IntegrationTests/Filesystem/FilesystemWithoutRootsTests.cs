using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Filesystem;

/// <summary>A daemon with no <c>JobServer:Filesystem:Roots</c>: every method refuses.</summary>
public sealed class FilesystemWithoutRootsTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    [Theory]
    [InlineData("filesystem.stat")]
    [InlineData("filesystem.listdir")]
    [InlineData("filesystem.mkdir")]
    public async Task Method_NoRootsConfigured_IsRefusedWithEacces(string method)
    {
        await using var client = await fixture.Daemon.ConnectAsRootAsync();

        var error = await client.CallErrorAsync(method, Path.GetTempPath());

        error.GetProperty("error").GetInt32().Should().Be(13);
        error.GetProperty("reason").GetString().Should().Contain("No filesystem roots are configured");
    }

    [Fact]
    public async Task Copy_NoRootsConfigured_FailsTheJobWithEacces()
    {
        await using var client = await fixture.Daemon.ConnectAsRootAsync();

        var jobId = (await client.CallResultAsync("filesystem.copy", "/etc/hostname", "/tmp/x")).GetInt64();

        var error = await client.CallErrorAsync("core.job_wait", jobId);
        error.GetProperty("error").GetInt32().Should().Be(13);
        error.GetProperty("reason").GetString().Should().Contain("No filesystem roots are configured");
    }
}
