using System.Text.Json;

namespace JobServer.Cli;

/// <summary>
/// midclt's argument rule: each argument is JSON when it parses (<c>5</c>, <c>true</c>, <c>[1,2]</c>,
/// <c>{"a":1}</c>), a string otherwise (<c>root</c>); <c>-</c> reads one JSON value from standard input.
/// </summary>
internal static class CallArguments
{
    public static object?[] Parse(IEnumerable<string> args) => [.. args.Select(ParseOne)];

    /// <summary>A JSON list of arguments (upload and download take their method's arguments as one list).</summary>
    public static object?[] ParseList(string list)
    {
        var value = ParseOne(list);
        return value is JsonElement { ValueKind: JsonValueKind.Array } array
            ? [.. array.EnumerateArray().Select(e => (object?)e.Clone())]
            : throw new UsageException($"'{list}': the method's arguments must be a JSON list, such as [] or [1, \"a\"]");
    }

    private static object? ParseOne(string arg)
    {
        if (arg == "-")
        {
            var input = Console.In.ReadToEnd();
            try
            {
                using var document = JsonDocument.Parse(input);
                return document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new UsageException($"standard input is not one JSON value: {e.Message}");
            }
        }

        try
        {
            using var document = JsonDocument.Parse(arg);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return arg;
        }
    }
}
