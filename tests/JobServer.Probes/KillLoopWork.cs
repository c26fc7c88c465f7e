namespace JobServer.Probes;

/// <summary>
/// The folder a kill loop's jobs write to, and what it tells afterwards. Each job runs <c>sh</c>, which appends its
/// token to <c>runs</c> (run twice = a token twice), keeps a file <c>job-&lt;token&gt;</c> open (every process of the
/// job inherits it: a live process holding it is a process of that job) and takes <c>flock -n</c> on its lock's file:
/// the lock is held by every process of the job, its grandchildren included, until the last dies, so a job that
/// finds it taken records an overlap.
/// </summary>
internal sealed class KillLoopWork : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("jobserver-kill-loop-work").FullName;

    /// <summary>The <c>sh -c</c> script of a job on <paramref name="lockName"/>; the job's token is its <c>$1</c>.</summary>
    public string Script(string lockName, string sleepSeconds) =>
        $"d='{Folder}'; t=$1; exec 8>>\"$d/job-$t\"; exec 9>>\"$d/lock-{lockName}\"; " +
        "flock -n 9 || echo \"$t\" >> \"$d/overlaps\"; echo \"$t\" >> \"$d/runs\"; " +
        $"sleep {sleepSeconds}";

    /// <summary>The tokens of the jobs that ran, once per run.</summary>
    public string[] Runs() => Lines("runs");

    /// <summary>The tokens of jobs that found their lock held by another job's process.</summary>
    public string[] Overlaps() => Lines("overlaps");

    /// <summary>The tokens that ran more than once, with how often.</summary>
    public IEnumerable<(string Token, int Times)> RunTwice() =>
        Runs().GroupBy(t => t, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => (g.Key, g.Count()));

    /// <summary>Live processes of jobs whose token is in <paramref name="finished"/> (read after them).</summary>
    public IEnumerable<(int Pid, string Token)> ProcessesOf(IReadOnlySet<string> finished) =>
        ProcessTable.OpenFilesUnder(Folder)
            .Select(open => (open.Pid, Name: Path.GetFileName(open.Path)))
            .Where(open => open.Name.StartsWith("job-", StringComparison.Ordinal) && finished.Contains(open.Name["job-".Length..]))
            .Select(open => (open.Pid, open.Name["job-".Length..]));

    public void Dispose() => KillLoop.TryDelete(Folder);

    private string[] Lines(string name)
    {
        var path = Path.Combine(Folder, name);
        return File.Exists(path) ? File.ReadAllLines(path) : [];
    }
}
