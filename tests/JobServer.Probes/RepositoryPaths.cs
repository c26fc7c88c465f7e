namespace JobServer.Probes;

/// <summary>Finds files of the repository the tests run from (built examples, for instance).</summary>
public static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "JobServer.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("JobServer.sln not found above the tests");
        }
    }

    /// <summary>The build output of an example project, in the configuration the tests were built in.</summary>
    public static string ExampleOutput(string project) => Output("examples", project);

    /// <summary>The build output of the test plugin (job services with controllable behaviour).</summary>
    public static string TestPluginOutput => Output("tests", "JobServer.TestPlugin");

    private static string Output(string folder, string project)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}",
            StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(Root, folder, project, "bin", configuration, "net10.0");
    }
}
