namespace JobServer.IntegrationTests.Rest;

/// <summary>
/// A browser test: skipped, saying why, only on a machine without Debian's chromium (<c>.ci/run</c> installs it,
/// so CI always runs it).
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ChromiumPath))
        {
            Skip = $"No browser: {ChromiumPath} is missing (apt-get install -y chromium; .ci/run does it)";
        }
    }
}
