using JobServer.IntegrationTests.Support;
using Microsoft.Extensions.Time.Testing;

namespace JobServer.IntegrationTests.Accounts;

public sealed class RateLimitTests
{
    [Fact]
    public async Task AnonymousCalls_21stOfOneMethodFromOneAddress_IsEbusyUntilTheWindowEnds()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        // middlewared's limit, not the generous one the other tests run with.
        await using var daemon = await Daemon.StartAsync(
            ["--JobServer:Auth:AnonymousRateLimit=20", "--JobServer:Auth:AnonymousRateWindowSeconds=60"], time: clock);
        await using var first = await daemon.ConnectAsync();
        await using var second = await daemon.ConnectAsync();
        for (var i = 0; i < 20; i++)
        {
            (await (i % 2 == 0 ? first : second).CallResultAsync("core.ping")).GetString().Should().Be("pong");
        }

        // The 21st from the same address, on another connection: refused.
        var refused = await first.CallErrorAsync("core.ping");
        var otherMethod = await first.CallResultAsync("auth.mechanism_choices");
        await using var root = await daemon.ConnectAsRootAsync();
        var authenticated = await root.CallResultAsync("core.ping");

        refused.Errno().Should().Be(16);
        refused.GetProperty("errname").GetString().Should().Be("EBUSY");
        refused.Reason().Should().Be("[EBUSY] Rate Limit Exceeded");
        otherMethod.GetArrayLength().Should().Be(3);
        authenticated.GetString().Should().Be("pong");

        clock.Advance(TimeSpan.FromSeconds(61));
        (await second.CallResultAsync("core.ping")).GetString().Should().Be("pong");
    }

    [Fact]
    public async Task SetOptions_IsNotRateLimited()
    {
        await using var daemon = await Daemon.StartAsync(["--JobServer:Auth:AnonymousRateLimit=20"]);
        await using var client = await daemon.ConnectJsonRpcAsync();

        for (var i = 0; i < 25; i++)
        {
            (await client.CallResultAsync("core.set_options", new { legacy_jobs = i % 2 == 0 }))
                .GetProperty("legacy_jobs").GetBoolean().Should().Be(i % 2 == 0);
        }
    }
}
