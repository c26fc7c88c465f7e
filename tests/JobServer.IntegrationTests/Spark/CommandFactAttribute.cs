namespace JobServer.IntegrationTests.Spark;

/// <summary>
/// A test that needs a program on PATH (<c>javac</c>, <c>python3</c>): skipped, saying why, only on a machine
/// without it (<c>.ci/run</c> installs them, so CI always runs it).
/// </summary>
public sealed class CommandFactAttribute : FactAttribute
{
    public CommandFactAttribute(string command)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(folder => folder.Length > 0 && File.Exists(Path.Combine(folder, command)));
        if (!onPath)
        {
            Skip = $"{command} is not on PATH (.ci/run installs it)";
        }
    }
}
