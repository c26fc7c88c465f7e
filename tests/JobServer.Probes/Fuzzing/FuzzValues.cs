using System.Globalization;
using System.Text;

namespace JobServer.Probes.Fuzzing;

/// <summary>
/// JSON values as text, chosen to break readers: every type, edge numbers, bad unicode escapes, duplicate keys
/// and nesting deep enough to pass or to pass the parser's limit (64).
/// </summary>
internal sealed class FuzzValues(Random random)
{
    /// <summary>Method names a fuzzed call may name: harmless ones (no sign-in, no change) and broken ones.</summary>
    public static readonly string[] MethodNames =
    [
        "core.ping", "core.version", "audit.query", "core.set_options", "core.get_methods", "core.get_events", "core.subscribe", "core.unsubscribe",
        "auth.me", "user.query", "core.get_jobs", "core.get_workers", "system.general.config", "no.such", "core", ".", "a.", ".b", "",
        "core.\\ud800", "core.ping\\u0000",
        // Device-agent methods (issue 16): refused to every fuzzing identity (none holds BATCH_AGENT).
        "batch.agent.register", "batch.agent.ack", "batch.agent.progress", "batch.agent.result",
    ];

    private static readonly string[] Scalars =
    [
        "null", "true", "false", "0", "-0", "1", "-1", "1.5", "1e3", "1e308", "1e400", "-1e400", "1E-400",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "\"\"", "\"x\"", "\"1\"", "\"core.ping\"", "\"*\"", "\"\\ud800\"", "\"\\udfff\"", "\"a\\ud800b\"",
        "\"\\udc00\\ud800\"", "\"\\ud83d\\ude00\"", "\"\\u0000\"", "\"\\\\\"", "\"é€𝄞\"", "\"legacy_jobs\"",
    ];

    public string Any(int depth = 0) => random.Next(10) switch
    {
        < 5 => Scalar(),
        5 => HugeNumber(),
        6 when depth < 3 => Array(depth),
        7 when depth < 3 => Object(depth),
        8 => DeepNesting(),
        _ => LongString(),
    };

    public string Scalar() => Scalars[random.Next(Scalars.Length)];

    public string String() => random.Next(4) == 0 ? Scalar() : $"\"{Word()}\"";

    public string Word() => random.Next(6) switch
    {
        0 => "\\ud800",
        1 => "",
        _ => new string((char)('a' + random.Next(26)), random.Next(1, 6)),
    };

    public string HugeNumber()
    {
        var digits = new StringBuilder(random.Next(2) == 0 ? "-" : "");
        digits.Append((char)('1' + random.Next(9)));
        digits.Append('0', random.Next(20, 3000));
        if (random.Next(3) == 0)
        {
            digits.Append(CultureInfo.InvariantCulture, $"e{random.Next(-99999, 99999)}");
        }

        return digits.ToString();
    }

    public string Array(int depth)
    {
        var items = Enumerable.Range(0, random.Next(0, 4)).Select(_ => Any(depth + 1));
        return $"[{string.Join(',', items)}]";
    }

    /// <summary>An object, sometimes with a duplicate key (at this depth or below).</summary>
    public string Object(int depth)
    {
        var keys = Enumerable.Range(0, random.Next(0, 4)).Select(_ => Word()).ToList();
        if (keys.Count > 0 && random.Next(3) == 0)
        {
            keys.Add(keys[0]);
        }

        return "{" + string.Join(',', keys.Select(k => $"\"{k}\":{Any(depth + 1)}")) + "}";
    }

    /// <summary>Arrays or objects nested 10 to 200 deep (the parser's limit is 64).</summary>
    public string DeepNesting()
    {
        var depth = random.Next(10, 200);
        return random.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
    }

    public string LongString() => $"\"{new string('x', random.Next(100, 3000))}\"";
}
