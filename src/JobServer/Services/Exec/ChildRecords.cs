using System.Globalization;
using JobServer.Configuration;
using Microsoft.Extensions.Options;

namespace JobServer.Services.Exec;

/// <summary>
/// <c>&lt;data-dir&gt;/children/&lt;pid&gt;.child</c>: one small file per running child (<c>pid start-time job-id</c>),
/// written as it starts and deleted once its whole group is gone. What is left at start-up are children of a daemon
/// that died (<see cref="LeftoverChildReaper"/>). Not fsynced: a daemon that is killed leaves the page cache intact,
/// and a power loss leaves no child running.
/// </summary>
internal sealed class ChildRecords(IOptions<JobServerOptions> options)
{
    private const string Extension = ".child";

    private string Folder => options.Value.DataPath("children");

    public void Add(ChildRecord record)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(PathOf(record.ProcessId), string.Create(CultureInfo.InvariantCulture,
            $"{record.ProcessId} {record.StartTime} {record.JobId}\n"));
    }

    public void Remove(int processId) => File.Delete(PathOf(processId));

    /// <summary>Every record present; a file that cannot be read as one is returned as null with its pid.</summary>
    public IEnumerable<(int ProcessId, ChildRecord? Record)> All()
    {
        if (!Directory.Exists(Folder))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(Folder, "*" + Extension))
        {
            if (!int.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture,
                    out var pid))
            {
                File.Delete(path);
                continue;
            }

            yield return (pid, Parse(pid, File.ReadAllText(path)));
        }
    }

    private static ChildRecord? Parse(int pid, string text)
    {
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return fields.Length == 3 &&
               ulong.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var started) &&
               long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var job)
            ? new ChildRecord(pid, started, job)
            : null;
    }

    private string PathOf(int processId) =>
        Path.Combine(Folder, processId.ToString(CultureInfo.InvariantCulture) + Extension);
}
