using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Ddp;

public sealed class PluginTests
{
    [Fact]
    public async Task PluginFolder_ServiceIsLoadedAndCallable()
    {
        await using var daemon = await Daemon.StartAsync(prepare: dataDir =>
        {
            var target = Directory.CreateDirectory(Path.Combine(dataDir, "plugins", "HelloPlugin")).FullName;
            foreach (var file in Directory.EnumerateFiles(RepositoryPaths.ExampleOutput("HelloPlugin")))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        });
        await using var client = await daemon.ConnectAsRootAsync();

        (await client.CallResultAsync("hello.greet", "world")).GetString().Should().Be("Hello, world!");
        (await client.CallResultAsync("hello.greet", "you", "Hi")).GetString().Should().Be("Hi, you!");
        (await client.CallResultAsync("hello.add", 2, 40)).GetInt64().Should().Be(42);
        var invalid = await client.CallErrorAsync("hello.greet", " ");
        invalid.GetProperty("type").GetString().Should().Be("VALIDATION");
        invalid.GetProperty("extra")[0][0].GetString().Should().Be("hello_greet.name");
        (await client.CallErrorAsync("hello.secret")).GetProperty("error").GetInt32().Should().Be(201);
        var methods = await client.CallResultAsync("core.get_methods", "hello");
        methods.EnumerateObject().Select(m => m.Name).Should().BeEquivalentTo("hello.add", "hello.greet");
    }

    [Fact]
    public async Task ConfiguredPluginDirectory_IsSearchedToo()
    {
        var folder = Directory.CreateTempSubdirectory("jobserver-plugins").FullName;
        try
        {
            foreach (var file in Directory.EnumerateFiles(RepositoryPaths.ExampleOutput("HelloPlugin")))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }

            await using var daemon = await Daemon.StartAsync(["--plugin-dir", folder]);
            await using var client = await daemon.ConnectAsRootAsync();

            (await client.CallResultAsync("hello.add", 1, 1)).GetInt64().Should().Be(2);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
