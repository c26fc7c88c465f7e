using Microsoft.Extensions.Options;

namespace JobServer.Spark.Jobs;

/// <summary>
/// Refuses to start with a server job config that does not parse, naming the setting and the problem, so a typo
/// fails the daemon's start rather than every job. A JSON object written under <c>JobConfig</c> in appsettings
/// would bind as a section (and silently as null), so that is refused too.
/// </summary>
internal sealed class SparkServerJobConfigValidation(IConfiguration configuration) : IValidateOptions<SparkOptions>
{
    public ValidateOptionsResult Validate(string? name, SparkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (configuration.GetSection($"{SparkOptions.Section}:JobConfig").GetChildren().Any())
        {
            return ValidateOptionsResult.Fail(
                $"{SparkOptions.Section}:JobConfig is text (HOCON or JSON in a string), not a section; or set JobConfigFile");
        }

        try
        {
            SparkServerJobConfig.Read(options);
            return ValidateOptionsResult.Success;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
