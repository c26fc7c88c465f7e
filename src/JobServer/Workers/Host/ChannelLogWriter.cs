using System.Text;

namespace JobServer.Workers.Host;

/// <summary>A job's log in a worker: text goes to the daemon, which writes the job's log file.</summary>
internal sealed class ChannelLogWriter(JobReports reports) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => reports.Log(value.ToString());

    public override void Write(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            reports.Log(value);
        }
    }

    public override void Write(char[] buffer, int index, int count) => reports.Log(new string(buffer, index, count));

    public override void WriteLine(string? value) => reports.Log((value ?? "") + NewLine);
}
