using System.Text;

namespace JobServer.Jobs;

/// <summary>
/// A job's log file (<c>&lt;data-dir&gt;/jobs/&lt;id&gt;.log</c>) as a thread-safe, auto-flushing writer, and the
/// excerpt clients see when the job ends: the first and last 10 lines.
/// </summary>
internal sealed class JobLog : IDisposable
{
    public const int ExcerptLines = 10;

    private readonly StreamWriter _writer;

    public JobLog(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
        Writer = TextWriter.Synchronized(_writer);
    }

    public string Path { get; }

    public TextWriter Writer { get; }

    public void Dispose() => Writer.Dispose();

    /// <summary>Reads the log back and keeps its head and tail, marking what was left out.</summary>
    public static string? Excerpt(string? path)
    {
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        var head = new List<string>(ExcerptLines);
        var tail = new Queue<string>(ExcerptLines);
        var total = 0;
        using (var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)))
        {
            while (reader.ReadLine() is { } line)
            {
                total++;
                if (head.Count < ExcerptLines)
                {
                    head.Add(line);
                    continue;
                }

                if (tail.Count == ExcerptLines)
                {
                    tail.Dequeue();
                }

                tail.Enqueue(line);
            }
        }

        var skipped = total - head.Count - tail.Count;
        var lines = skipped > 0 ? [.. head, $"... {skipped} more lines ...", .. tail] : head.Concat(tail);
        return string.Join('\n', lines);
    }
}
