using System.Diagnostics;
using System.IO.Compression;

namespace JobServer.IntegrationTests.Spark;

/// <summary>
/// A real published .NET Spark job, built by the test with <c>dotnet publish</c>: <c>published.ShoutJob</c>, which
/// shouts each word of <c>input.string</c> through <c>WordTools.Shouter</c> — a project dependency, so the
/// published folder holds <c>ShoutJob.dll</c>, <c>WordTools.dll</c> and <c>ShoutJob.deps.json</c>, and the job only
/// works when the daemon loads the folder's dependencies. Built once per test run (in a temporary folder, outside
/// the repository's build props; no package is restored).
/// </summary>
internal sealed class PublishedSparkJob
{
    public const string ClassName = "published.ShoutJob";

    private static readonly Lazy<Task<PublishedSparkJob>> Built = new(BuildAsync);

    private PublishedSparkJob(string folder) => Folder = folder;

    /// <summary>The publish output.</summary>
    public string Folder { get; }

    public static Task<PublishedSparkJob> GetAsync() => Built.Value;

    /// <summary>The publish output as a zip, its files at the top or under <paramref name="prefix"/> (<c>publish/</c>).</summary>
    public byte[] Zip(string prefix = "")
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories))
            {
                archive.CreateEntryFromFile(file, prefix + Path.GetRelativePath(Folder, file).Replace('\\', '/'));
            }
        }

        return zip.ToArray();
    }

    private static async Task<PublishedSparkJob> BuildAsync()
    {
        var root = Directory.CreateTempSubdirectory("spark-published-job-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(root, recursive: true);
        var sdk = typeof(Sdk.Spark.ISparkJob).Assembly.Location;
        await WriteAsync(root, "WordTools/WordTools.csproj", Project(""));
        await WriteAsync(root, "WordTools/Shouter.cs", """
            namespace WordTools;

            public static class Shouter
            {
                public static string Shout(string word) => word.ToUpperInvariant() + "!";
            }
            """);
        await WriteAsync(root, "ShoutJob/ShoutJob.csproj", Project($"""
              <PropertyGroup><EnableDynamicLoading>true</EnableDynamicLoading></PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../WordTools/WordTools.csproj" />
                <Reference Include="JobServer.Sdk"><HintPath>{sdk}</HintPath><Private>false</Private></Reference>
              </ItemGroup>
            """));
        await WriteAsync(root, "ShoutJob/ShoutJob.cs", """
            using JobServer.Sdk.Spark;

            namespace published;

            public sealed class ShoutJob : ISparkJob
            {
                public SparkValidation Validate(ISparkJobContext context, SparkConfig config) =>
                    config.GetString("input.string") is { } text
                        ? SparkValidation.Valid(text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        : SparkValidation.Invalid("No input.string config param");

                public Task<object?> RunAsync(ISparkJobContext context, object? input) =>
                    Task.FromResult<object?>(((string[])input!).Select(WordTools.Shouter.Shout).ToArray());
            }
            """);

        var output = Path.Combine(root, "publish");
        await DotnetAsync(root, "publish", "ShoutJob/ShoutJob.csproj", "-c", "Release", "-o", output, "--nologo",
            "-nodeReuse:false", "-p:UseSharedCompilation=false");
        return new PublishedSparkJob(output);
    }

    private static string Project(string extra) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
          </PropertyGroup>
        {extra}
        </Project>
        """;

    private static async Task WriteAsync(string root, string path, string text)
    {
        var full = Path.Combine(root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, text);
    }

    private static async Task DotnetAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs under `dotnet test`, whose MSBuild variables would steer this build into its own.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        process.ExitCode.Should().Be(0, $"dotnet {string.Join(' ', arguments)} failed:\n{await stdout}\n{await stderr}");
    }
}
