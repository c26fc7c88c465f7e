namespace JobServer.Calls;

/// <summary>
/// Why a well-formed JSON message is refused, and where: a dialect answers a problem in its envelope with its
/// protocol error and one inside a call's parameters with that call's validation error.
/// </summary>
/// <param name="Message">What is wrong, for a person (never .NET text).</param>
/// <param name="Member">The top-level key the problem is at or under; null for the message itself (a lone
/// surrogate in a top-level key, or a message that is not an object).</param>
/// <param name="ParameterIndex">When the problem is inside <c>params[i]</c>: <c>i</c>.</param>
/// <param name="InnerPath">The path inside that parameter, such as <c>.data.username</c> or <c>[2]</c>: the
/// shape of middlewared's validation attributes (<c>user_create.data.username</c>).</param>
internal sealed record InboundProblem(string Message, string? Member, int? ParameterIndex, string InnerPath)
{
    /// <summary>Whether the problem lies inside one positional parameter (not in the envelope).</summary>
    public bool IsInParameters => ParameterIndex is not null;

    /// <summary>Whether the problem is at or under this top-level key.</summary>
    public bool Concerns(string member) => Member == member;

    /// <summary>The message with where the problem is, for an envelope error or the log.</summary>
    public string Describe() => ParameterIndex is { } index
        ? $"{Message} (in params[{index}]{InnerPath})"
        : Member is null || Message.StartsWith("Duplicate key", StringComparison.Ordinal)
            ? Message
            : $"{Message} (in '{(Member.Length <= 64 ? Member : Member[..64] + "…")}')";
}
