using System.Net.WebSockets;
using System.Text;

namespace JobServer.Probes.Fuzzing;

/// <summary>
/// Makes fuzzed inputs for one dialect: well-formed messages of every kind with fields of the wrong type,
/// missing or duplicated; the same broken at the byte level (invalid UTF-8, cut short); non-objects and
/// batches; fragmented frames; and, rarely (they end the connection), binary and oversize frames.
/// </summary>
internal sealed class FuzzInputs(Random random, bool ddp)
{
    private static readonly string[] DdpKinds = ["connect", "method", "sub", "unsub", "ping", "pong", "nonsense"];

    private readonly FuzzValues _values = new(random);

    public FuzzFrame Next(bool signedIn)
    {
        var roll = random.Next(1000);
        if (roll < 5)
        {
            return new FuzzFrame([1, 2, 3], WebSocketMessageType.Binary);
        }

        if (roll < 10)
        {
            // Just over the limit: 8 KiB before sign-in, 64 KiB after.
            var size = (signedIn ? 64 : 8) * 1024 + random.Next(1, 4096);
            return new FuzzFrame(Encoding.UTF8.GetBytes($"{{\"msg\":\"ping\",\"id\":\"{new string('x', size)}\"}}"));
        }

        var text = roll switch
        {
            < 40 => _values.Any(),
            < 60 => $"[{Message()},{Message()}]",
            _ => Message(),
        };
        var bytes = Encoding.UTF8.GetBytes(text);
        if (random.Next(8) == 0)
        {
            bytes = Corrupt(bytes);
        }

        return new FuzzFrame(bytes, WebSocketMessageType.Text, random.Next(6) == 0 ? random.Next(2, 6) : 1);
    }

    /// <summary>A message of a random kind whose fields are each kept, retyped, dropped or doubled.</summary>
    private string Message()
    {
        var fields = ddp ? DdpFields(DdpKinds[random.Next(DdpKinds.Length)]) : JsonRpcFields();
        var members = new List<string>();
        foreach (var (name, value) in fields)
        {
            switch (random.Next(12))
            {
                case 0:
                    break; // dropped
                case 1 or 2:
                    members.Add($"\"{name}\":{_values.Any()}");
                    break;
                case 3:
                    members.Add($"\"{name}\":{value}");
                    members.Add($"\"{name}\":{_values.Any()}");
                    break;
                default:
                    members.Add($"\"{name}\":{value}");
                    break;
            }
        }

        if (random.Next(8) == 0)
        {
            members.Insert(random.Next(members.Count + 1), $"\"{_values.Word()}\":{_values.Any()}");
        }

        return "{" + string.Join(',', members) + "}";
    }

    private List<(string, string)> DdpFields(string kind) => kind switch
    {
        "connect" => [("msg", "\"connect\""), ("version", "\"1\""), ("support", "[\"1\"]")],
        "method" => [("msg", "\"method\""), ("id", Id()), ("method", Method()), ("params", Params())],
        "sub" => [("msg", "\"sub\""), ("id", Id()), ("name", random.Next(2) == 0 ? "\"*\"" : _values.String())],
        "unsub" or "ping" or "pong" => [("msg", $"\"{kind}\""), ("id", Id())],
        _ => [("msg", _values.String())],
    };

    private List<(string, string)> JsonRpcFields() =>
        [("jsonrpc", "\"2.0\""), ("id", random.Next(5) == 0 ? "null" : Id()), ("method", Method()), ("params", Params())];

    private string Id() => random.Next(3) == 0 ? random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture) : _values.String();

    private string Method() => $"\"{FuzzValues.MethodNames[random.Next(FuzzValues.MethodNames.Length)]}\"";

    private string Params() => random.Next(5) switch
    {
        0 => "[]",
        1 => _values.Any(),
        _ => _values.Array(0),
    };

    /// <summary>Byte-level damage: invalid UTF-8 (a lone lead or continuation byte, an encoded surrogate,
    /// an overlong form), a byte replaced by another ASCII one, or the message cut short.</summary>
    private byte[] Corrupt(byte[] bytes)
    {
        byte[][] invalid = [[0xFF], [0xC3], [0x80], [0xED, 0xA0, 0x80], [0xC0, 0x80], [0xF4, 0x90, 0x80, 0x80]];
        var at = random.Next(bytes.Length + 1);
        // Invalid UTF-8 is kept rare: the WebSocket layer drops such a connection (see ProtocolFuzzer.CheckEnd).
        return random.Next(20) switch
        {
            0 => [.. bytes[..at], .. invalid[random.Next(invalid.Length)], .. bytes[at..]],
            < 10 when bytes.Length > 0 => Flip(bytes, random.Next(bytes.Length), (byte)random.Next(0x20, 0x7F)),
            _ => bytes[..at],
        };
    }

    private static byte[] Flip(byte[] bytes, int at, byte value)
    {
        var copy = bytes.ToArray();
        copy[at] = value;
        return copy;
    }
}
