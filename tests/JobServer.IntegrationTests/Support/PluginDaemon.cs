namespace JobServer.IntegrationTests.Support;

/// <summary>A daemon with every plugin there is to test: the test plugin's jobs and the example HelloPlugin.</summary>
public static class PluginDaemon
{
    public static Task<Daemon> StartAsync(IEnumerable<string>? extraArgs = null) =>
        Daemon.StartAsync(["--plugin-dir", RepositoryPaths.TestPluginOutput, .. extraArgs ?? []], prepare: dataDir =>
        {
            var target = Directory.CreateDirectory(Path.Combine(dataDir, "plugins", "HelloPlugin")).FullName;
            foreach (var file in Directory.EnumerateFiles(RepositoryPaths.ExampleOutput("HelloPlugin")))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        });
}
