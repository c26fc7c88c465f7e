namespace JobServer.Bench.Infrastructure;

/// <summary>Where the harness finds the daemon, the bench plugin and itself, built in its own configuration.</summary>
internal static class BenchPaths
{
    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "JobServer.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("JobServer.sln not found above the harness");
        }
    }

    public static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Debug"
            : "Release";

    /// <summary>The daemon's entry assembly, built by the project reference in JobServer.Bench.csproj.</summary>
    public static string DaemonDll =>
        Environment.GetEnvironmentVariable("BENCH_JOBSERVER_DLL") is { Length: > 0 } overridden
            ? overridden
            : Path.Combine(RepositoryRoot, "src", "JobServer", "bin", Configuration, "net10.0", "JobServer.dll");

    /// <summary>The folder holding JobServer.Bench.Plugin.dll, handed to the daemon as its plugin directory.</summary>
    public static string PluginDirectory =>
        Path.Combine(RepositoryRoot, "bench", "JobServer.Bench.Plugin", "bin", Configuration, "net10.0");

    /// <summary>The example Spark job (<c>examples/WordCount</c>) the Spark scenario uploads as a binary.</summary>
    public static string WordCountDll =>
        Path.Combine(RepositoryRoot, "examples", "WordCount", "bin", Configuration, "net10.0", "WordCount.dll");

    /// <summary>This harness's own assembly, started again with <c>--echo-server</c> for the echo process.</summary>
    public static string HarnessDll => typeof(BenchPaths).Assembly.Location;

    /// <summary>The dotnet host that runs this process (apphost or <c>dotnet run</c>): the same one runs the servers.</summary>
    public static string DotnetHost
    {
        get
        {
            if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
            {
                return host;
            }

            var self = Environment.ProcessPath;
            return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        }
    }

    public static string NewTempDirectory(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), "jobserver-bench", $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void DeleteQuietly(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a process being torn down; the OS cleans the temp folder.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
