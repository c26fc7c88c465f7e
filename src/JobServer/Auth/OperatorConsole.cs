namespace JobServer.Auth;

/// <summary>
/// The daemon's standard output for the operator at the host, outside the log: a secret shown there once (a
/// generated root password) never becomes a log property that reaches an aggregator (issue 12).
/// </summary>
internal sealed class OperatorConsole(TextWriter output)
{
    private const string Rule = "========================================================================";
    private readonly Lock _lock = new();

    /// <summary>Prints a secret once, framed so it stands out from the log lines around it.</summary>
    public void ShowSecretOnce(string heading, string secret, string advice)
    {
        lock (_lock)
        {
            output.WriteLine();
            output.WriteLine(Rule);
            output.WriteLine(heading);
            output.WriteLine("It is shown only this once and is not written to the log:");
            output.WriteLine();
            output.WriteLine("    " + secret);
            output.WriteLine();
            output.WriteLine(advice);
            output.WriteLine(Rule);
            output.WriteLine();
            output.Flush();
        }
    }

    public void WriteLine(string line)
    {
        lock (_lock)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
