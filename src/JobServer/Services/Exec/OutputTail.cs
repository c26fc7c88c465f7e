namespace JobServer.Services.Exec;

/// <summary>The last lines of a process's output, bounded in lines and characters.</summary>
internal sealed class OutputTail(int maxLines = 20, int maxChars = 4096)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue(line.Length > maxChars ? line[..maxChars] : line);
            while (_lines.Count > maxLines)
            {
                _lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            var text = string.Join('\n', _lines);
            return text.Length > maxChars ? text[^maxChars..] : text;
        }
    }
}
