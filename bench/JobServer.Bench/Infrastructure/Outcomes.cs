using JobServer.Bench.Reporting;

namespace JobServer.Bench.Infrastructure;

internal static class Outcomes
{
    /// <summary>
    /// Measures one figure; a missing feature becomes "skipped" in --quick mode and "failed" in a full run, any
    /// other exception "failed". Either way the scenario goes on to its other rows.
    /// </summary>
    public static async Task<Figure> TryAsync(BenchSettings settings, Func<Task<Figure>> measure)
    {
        try
        {
            return await measure();
        }
        catch (FeatureMissingException e)
        {
            return settings.Quick ? Figure.Skipped(e.Message) : Figure.Failed(e.Message);
        }
        catch (Exception e)
        {
            return Figure.Failed($"{e.GetType().Name}: {e.Message}");
        }
    }
}
