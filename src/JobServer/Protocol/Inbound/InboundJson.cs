using System.Text.Json;
using System.Text.Unicode;
using JobServer.Calls;

namespace JobServer.Protocol.Inbound;

/// <summary>
/// The one strict parse of an inbound JSON message, shared by every door that reads a client's JSON (DDP,
/// JSON-RPC). System.Text.Json alone is lenient where we must not be: it accepts duplicate keys (and then
/// <c>TryGetProperty</c> takes the last, <c>JsonObject</c> throws an ArgumentException with .NET text) and lone
/// surrogate escapes such as <c>"\ud800"</c> (and then <c>GetString</c> throws, which used to end the connection
/// with 1000 and an HTTP 500 in the log, issue 12). Here both are found once, up front, with where they are, so
/// each dialect can answer them in its own shape.
/// </summary>
internal static class InboundJson
{
    /// <summary>Longest key quoted back in a problem's text: the message may be 64 KiB, the answer need not be.</summary>
    private const int MaxQuotedKey = 64;

    /// <summary>Problems collected from one message: enough to know which members are sound, never unbounded.</summary>
    private const int MaxProblems = 8;

    /// <summary>
    /// Parses a whole message. Not JSON (or invalid UTF-8 in a string) → <see cref="InboundMessage.SyntaxError"/>;
    /// JSON with duplicate keys or lone surrogates → the document and its <see cref="InboundProblem"/>s.
    /// </summary>
    public static InboundMessage Parse(ReadOnlyMemory<byte> payload)
    {
        IReadOnlyList<InboundProblem> problems;
        try
        {
            problems = FindProblems(payload.Span);
        }
        catch (JsonException e)
        {
            return InboundMessage.NotJson(e.Message);
        }
        catch (InvalidUtf8Exception)
        {
            return InboundMessage.NotJson("The message is not valid UTF-8");
        }

        // The reader above accepted the same bytes with the same (default) options, so this cannot fail.
        return new InboundMessage(JsonDocument.Parse(payload), null, problems);
    }

    /// <summary>Reads the whole message (a syntax error anywhere wins), collecting the first few problems.</summary>
    private static IReadOnlyList<InboundProblem> FindProblems(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        var path = new InboundPath();
        List<InboundProblem>? problems = null;
        void Add(InboundProblem problem)
        {
            problems ??= [];
            if (problems.Count < MaxProblems)
            {
                problems.Add(problem);
            }
        }

        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    path.EnterObject();
                    break;
                case JsonTokenType.StartArray:
                    path.EnterArray();
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    path.Leave();
                    break;
                case JsonTokenType.PropertyName:
                    if (ReadString(ref reader) is not { } name)
                    {
                        Add(path.ProblemAtCurrent("Invalid string: a key holds a lone surrogate escape"));
                        path.TryAddKey("\uFFFD"); // Keeps the path's shape; the message is refused anyway.
                    }
                    else if (!path.TryAddKey(name))
                    {
                        Add(path.ProblemAtKey(name, $"Duplicate key '{Quote(name)}'"));
                    }

                    break;
                case JsonTokenType.String:
                    path.CountValue();
                    if (!IsWellFormed(ref reader))
                    {
                        Add(path.ProblemAtValue("Invalid string: a lone surrogate escape"));
                    }

                    break;
                default:
                    path.CountValue();
                    break;
            }
        }

        return problems ?? (IReadOnlyList<InboundProblem>)[];
    }

    /// <summary>The string, or null when it unescapes to a lone surrogate; throws on invalid UTF-8.</summary>
    private static string? ReadString(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !Utf8.IsValid(reader.ValueSpan))
        {
            throw new InvalidUtf8Exception();
        }

        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            // Either invalid UTF-8 next to an escape, or an escape that is half a surrogate pair.
            if (!Utf8.IsValid(reader.ValueSpan))
            {
                throw new InvalidUtf8Exception();
            }

            return null;
        }
    }

    /// <summary>Checks a string value without allocating unless it holds escapes.</summary>
    private static bool IsWellFormed(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Utf8.IsValid(reader.ValueSpan) ? true : throw new InvalidUtf8Exception();
        }

        return ReadString(ref reader) is not null;
    }

    private static string Quote(string key) => key.Length <= MaxQuotedKey ? key : key[..MaxQuotedKey] + "…";

    /// <summary>Raw invalid UTF-8: a transport-level fault (RFC 6455 asks for 1007), not a JSON problem.</summary>
    private sealed class InvalidUtf8Exception : Exception;
}
