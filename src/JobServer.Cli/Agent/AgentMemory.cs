using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace JobServer.Cli.Agent;

/// <summary>
/// The tasks this agent began and the answers it got, in a small file under <c>--state-dir</c> (one per
/// destination), so a task the daemon delivers again — the agent's answer was lost with its connection, or the
/// agent restarted — is answered from memory and never performed twice. A task is marked begun, on disk, before
/// its request goes to the device: one begun but never answered (the agent died mid-request) is not repeated
/// either — at most once — and answered 502. Appends one JSON line per step; keeps the newest
/// <see cref="Kept"/> tasks (ids only grow, and the daemon never redelivers a finished task).
/// </summary>
internal sealed class AgentMemory
{
    private const int Kept = 1000;

    private readonly string _path;
    private readonly SortedDictionary<long, AgentAnswer?> _tasks = [];
    private int _lines;

    private AgentMemory(string path) => _path = path;

    public static AgentMemory Open(string directory, string destination)
    {
        Directory.CreateDirectory(directory);
        var memory = new AgentMemory(Path.Combine(directory, FileName(destination)));
        memory.Load();
        return memory;
    }

    /// <summary>Whether the task was begun; <paramref name="answer"/> is its answer, null when none came.</summary>
    public bool TryRecall(long taskId, out AgentAnswer? answer) => _tasks.TryGetValue(taskId, out answer);

    public void Begin(long taskId) => Record(taskId, null);

    public void Answered(long taskId, AgentAnswer answer) => Record(taskId, answer);

    private void Record(long taskId, AgentAnswer? answer)
    {
        _tasks[taskId] = answer;
        var line = new JsonObject { ["id"] = taskId, ["answer"] = answer?.ToJson() }.ToJsonString();
        using (var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.WriteThrough))
        {
            file.Write(Encoding.UTF8.GetBytes(line + "\n"));
            file.Flush(flushToDisk: true);
        }

        if (++_lines > 2 * Kept)
        {
            Compact();
        }
    }

    private void Load()
    {
        if (!File.Exists(_path))
        {
            return;
        }

        foreach (var line in File.ReadLines(_path))
        {
            // A line cut short by a crash mid-write is the last one, of a task not yet begun on the device.
            if (TryParse(line) is { } entry)
            {
                _tasks[entry.Id] = entry.Answer;
                _lines++;
            }
        }

        Trim();
    }

    private static (long Id, AgentAnswer? Answer)? TryParse(string line)
    {
        try
        {
            return JsonNode.Parse(line) is JsonObject { } json && json["id"] is JsonValue id
                ? (id.GetValue<long>(), json["answer"] is JsonObject answer ? AgentAnswer.FromJson(answer) : null)
                : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Rewrites the file with the newest tasks only (to a temporary file, then renamed over it).</summary>
    private void Compact()
    {
        Trim();
        var temporary = _path + ".tmp";
        File.WriteAllLines(temporary, _tasks.Select(t =>
            new JsonObject { ["id"] = t.Key, ["answer"] = t.Value?.ToJson() }.ToJsonString()));
        File.Move(temporary, _path, overwrite: true);
        _lines = _tasks.Count;
    }

    private void Trim()
    {
        while (_tasks.Count > Kept)
        {
            _tasks.Remove(_tasks.Keys.First());
        }
    }

    /// <summary>A readable, safe file name for any destination id (ids may hold ':' or '/'), unique by its hash.</summary>
    private static string FileName(string destination)
    {
        var readable = new string(destination.Take(40).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(destination)))[..16];
        return $"agent-{readable}-{hash}.jsonl";
    }
}
