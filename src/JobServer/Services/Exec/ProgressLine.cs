using System.Globalization;

namespace JobServer.Services.Exec;

/// <summary>Parses the progress protocol of <c>exec.run</c>: a stdout line <c>PROGRESS &lt;percent&gt; [description]</c>.</summary>
internal static class ProgressLine
{
    private const string Prefix = "PROGRESS ";

    public static bool TryParse(string line, out int percent, out string? description)
    {
        percent = 0;
        description = null;
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = line.AsSpan(Prefix.Length).Trim();
        var space = rest.IndexOf(' ');
        var number = space < 0 ? rest : rest[..space];
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        percent = (int)Math.Clamp(value, 0, 100);
        description = space < 0 ? null : rest[(space + 1)..].Trim().ToString();
        return true;
    }
}
