namespace JobServer.IntegrationTests.Support;

/// <summary>A daemon process started with settings it must refuse: it exits non-zero; what it printed.</summary>
public static class RefusedStart
{
    public static async Task<IReadOnlyList<string>> LinesAsync(params string[] settings)
    {
        var dataDir = Directory.CreateTempSubdirectory("jobserver-refused").FullName;
        try
        {
            await using var daemon = DaemonExecutable.Start(
                ["--urls", "http://127.0.0.1:0", "--data-dir", dataDir, .. settings],
                new Dictionary<string, string> { ["JOBSERVER_ROOT_PASSWORD"] = Daemon.RootPassword });
            (await daemon.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().NotBe(0, "the settings are invalid");
            return daemon.Lines;
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
