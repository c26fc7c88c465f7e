using System.Globalization;
using System.Text;
using System.Text.Json;
using JobServer.Sdk.Errors;

namespace JobServer.Jobs;

/// <summary>
/// Resolves a <c>[Job(Lock = …)]</c> template against a call's positional arguments: <c>{0}</c> is the first
/// argument, <c>{2.lock}</c> a field of the third; a trailing <c>?</c> (<c>{2.lock?}</c>) means "no lock when
/// absent". A required placeholder that cannot be resolved is a validation error at call time.
/// </summary>
internal static class LockTemplate
{
    public static string? Resolve(string? template, JsonElement arguments, string attributePrefix)
    {
        if (template is null)
        {
            return null;
        }

        var result = new StringBuilder();
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf('{', position);
            if (open < 0)
            {
                result.Append(template, position, template.Length - position);
                break;
            }

            var close = template.IndexOf('}', open);
            if (close < 0)
            {
                throw new InvalidOperationException($"Unbalanced lock template '{template}'");
            }

            result.Append(template, position, open - position);
            var placeholder = template[(open + 1)..close];
            var optional = placeholder.EndsWith('?');
            var value = Lookup(arguments, optional ? placeholder[..^1] : placeholder);
            if (value is null)
            {
                if (optional)
                {
                    return null;
                }

                throw new ValidationException(attributePrefix,
                    $"Cannot resolve the job lock '{template}': argument {placeholder} is missing");
            }

            result.Append(value);
            position = close + 1;
        }

        return result.ToString();
    }

    private static string? Lookup(JsonElement arguments, string path)
    {
        var parts = path.Split('.');
        if (arguments.ValueKind != JsonValueKind.Array ||
            !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index) ||
            index >= arguments.GetArrayLength())
        {
            return null;
        }

        var current = arguments[index];
        foreach (var key in parts.Skip(1))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(key, out current))
            {
                return null;
            }
        }

        return current.ValueKind switch
        {
            JsonValueKind.String => current.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => current.GetRawText(),
            _ => null,
        };
    }
}
