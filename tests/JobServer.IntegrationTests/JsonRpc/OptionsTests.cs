using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.JsonRpc;

public sealed class OptionsTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task SetOptions_Anonymous_ReturnsTheWholeResultingDict()
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();

        var first = await client.CallResultAsync("core.set_options", new { private_methods = true });
        var second = await client.CallResultAsync("core.set_options", new { legacy_jobs = false, no_such_option = 1 });

        first.GetRawText().Should().Be("""{"legacy_jobs":true,"private_methods":true,"py_exceptions":false}""");
        second.GetRawText().Should().Be("""{"legacy_jobs":false,"private_methods":true,"py_exceptions":false}""");
    }

    [Fact]
    public async Task SetOptions_AreKeptPerConnection()
    {
        await using var first = await Daemon.ConnectJsonRpcAsync();
        await using var second = await Daemon.ConnectJsonRpcAsync();

        await first.CallResultAsync("core.set_options", new { py_exceptions = true });
        var untouched = await second.CallResultAsync("core.set_options", new { });

        untouched.GetProperty("py_exceptions").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task SetOptions_WrongType_IsInvalidParams()
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();

        var error = await client.CallErrorAsync("core.set_options", new { legacy_jobs = "yes" });

        error.GetProperty("code").GetInt32().Should().Be(-32602);
        error.GetProperty("data").GetProperty("error").GetInt32().Should().Be(22);
    }

    [Fact]
    public async Task SetOptions_OnDdp_IsCallable()
    {
        await using var client = await Daemon.ConnectAsync();

        var options = await client.CallResultAsync("core.set_options", new { legacy_jobs = false });

        options.GetProperty("legacy_jobs").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task PrivateMethods_AreCallableOnlyWithTheOption()
    {
        // The example's build output holds only its own assembly, so it serves as a plugin folder as it is.
        await using var daemon = await Daemon.StartAsync(["--plugin-dir", RepositoryPaths.ExampleOutput("HelloPlugin")]);
        await using var client = await daemon.ConnectJsonRpcAsRootAsync();

        (await client.CallErrorAsync("hello.secret")).GetProperty("code").GetInt32().Should().Be(-32601);
        await client.CallResultAsync("core.set_options", new { private_methods = true });
        (await client.CallResultAsync("hello.secret")).GetString().Should().Be("hidden");
        await client.CallResultAsync("core.set_options", new { private_methods = false });
        (await client.CallErrorAsync("hello.secret")).GetProperty("code").GetInt32().Should().Be(-32601);
    }
}
