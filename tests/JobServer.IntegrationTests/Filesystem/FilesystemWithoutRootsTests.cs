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
    public async Task Copy_NoRootsConfigured_IsRefusedWithEaccesWithoutAJob()
    {
        await using var client = await fixture.Daemon.ConnectAsRootAsync();
        var before = await JobCount.OfAsync(client);

        var error = await client.CallErrorAsync("filesystem.copy", "/etc/hostname", "/tmp/x");

        error.GetProperty("error").GetInt32().Should().Be(13);
        error.GetProperty("reason").GetString().Should().Contain("No filesystem roots are configured");
        (await JobCount.OfAsync(client)).Should().Be(before);
    }
}
