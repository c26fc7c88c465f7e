using System.Net;
using JobServer.Spark;
using JobServer.Spark.Callbacks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace JobServer.Tests.Spark;

/// <summary>
/// The address check the callback sender runs on every connect (after its own DNS lookup): what a name resolving
/// to an internal address at send time meets, whatever it resolved to at submit.
/// </summary>
public sealed class SparkCallbackGuardTests
{
    private const int DaemonPort = 8090;

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("169.254.169.254")]
    [InlineData("fe80::1")]
    [InlineData("0.0.0.0")]
    [InlineData("::ffff:127.0.0.1")]
    public void AnInternalAddress_IsRefused_ForAnUnlistedName(string address) =>
        Guard().AddressRefusal("receiver.example", IPAddress.Parse(address), 9000).Should().NotBeNull();

    [Fact]
    public void ALoopbackAddress_IsPermitted_WhenItsHostIsAllowed() =>
        Guard(allowed: ["127.0.0.1"]).AddressRefusal("127.0.0.1", IPAddress.Loopback, 9000).Should().BeNull();

    [Fact]
    public void TheDaemonItself_IsRefused_EvenWhenAllowed() =>
        Guard(allowed: ["127.0.0.1"]).AddressRefusal("127.0.0.1", IPAddress.Loopback, DaemonPort)
            .Should().Contain("daemon itself");

    [Fact]
    public void APublicAddress_IsPermitted() =>
        Guard().AddressRefusal("receiver.example", IPAddress.Parse("203.0.113.7"), 443).Should().BeNull();

    [Fact]
    public void TheLists_DecideByHostName()
    {
        Guard(denied: ["evil.example"]).HostRefusal("EVIL.example").Should().Contain("denied");
        Guard(allowed: ["good.example"]).HostRefusal("other.example").Should().Contain("not in the allowed hosts");
        Guard(allowed: ["good.example"]).HostRefusal("good.example").Should().BeNull();
    }

    [Theory]
    [InlineData("ftp://203.0.113.7/x")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://user:pw@203.0.113.7/x")]
    [InlineData("/relative")]
    public async Task ABadUrl_IsRefused_BeforeAnyLookup(string url) =>
        (await Guard().RefusalAsync(url, CancellationToken.None)).Should().StartWith("callbackUrl must be");

    private static SparkCallbackGuard Guard(string[]? allowed = null, string[]? denied = null) =>
        new(Options.Create(new SparkOptions { CallbackAllowedHosts = allowed ?? [], CallbackDeniedHosts = denied ?? [] }),
            new ListeningServer($"http://127.0.0.1:{DaemonPort}"));

    /// <summary>An <see cref="IServer"/> that only says where it listens.</summary>
    private sealed class ListeningServer : IServer
    {
        public ListeningServer(string address)
        {
            var addresses = new ServerAddressesFeature();
            addresses.Addresses.Add(address);
            Features.Set<IServerAddressesFeature>(addresses);
        }

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
