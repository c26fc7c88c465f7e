using System.Buffers;
using System.Text;

namespace JobServer.Transfers.Multipart;

/// <summary>
/// Finds where a multipart body part's content ends, in bytes read so far, without buffering the part.
/// </summary>
/// <remarks>
/// RFC 2046 §5.1.1: content ends only at a delimiter line, <c>CRLF "--" boundary</c> followed by optional
/// transport padding (spaces, tabs) and CRLF, or at the close delimiter <c>CRLF "--" boundary "--"</c>. The same
/// bytes followed by anything else are content. Issue 12 item 13: a file holding <c>CRLF--boundary</c> then more
/// text was cut there and stored as a whole, much shorter file.
/// </remarks>
internal sealed class DelimiterScanner
{
    /// <summary>Padding beyond this after a boundary is refused rather than buffered without end.</summary>
    public const int MaxTransportPadding = 1024;

    /// <summary><c>CRLF--boundary</c>; without its first two bytes, the <c>dash-boundary</c> that may open a body.</summary>
    private readonly byte[] _delimiter;

    public DelimiterScanner(string boundary) => _delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);

    /// <summary>The longest delimiter prefix a scan may hold back as "maybe the start of a delimiter".</summary>
    public int HeldBackBytes => _delimiter.Length - 1;

    /// <summary>
    /// Bytes past a position that always decide whether a delimiter starts there: the delimiter, the most padding,
    /// then <c>CRLF</c> or <c>--</c>.
    /// </summary>
    public int DecisiveBytes => _delimiter.Length + MaxTransportPadding + 2;

    /// <param name="buffer">The unread bytes of the body, from the current position.</param>
    /// <param name="atBodyStart">The position is the very first byte of the body, where the first delimiter may
    /// come without its CRLF.</param>
    public DelimiterScan Scan(ReadOnlySequence<byte> buffer, bool atBodyStart)
    {
        if (atBodyStart && Classify(buffer, 0, _delimiter.AsSpan(2)) is { } first)
        {
            return first;
        }

        long from = 0;
        while (true)
        {
            var at = IndexOfDelimiter(buffer, from);
            if (at < 0)
            {
                // The read may have cut a delimiter in two: keep back a tail that could be its start.
                return new DelimiterScan(Math.Max(from, buffer.Length - HeldBackBytes), DelimiterKind.None);
            }

            if (Classify(buffer, at, _delimiter) is { } found)
            {
                return found;
            }

            from = at + 1;
        }
    }

    /// <summary>What the delimiter-like bytes at <paramref name="at"/> are; null when they are content.</summary>
    private static DelimiterScan? Classify(ReadOnlySequence<byte> buffer, long at, ReadOnlySpan<byte> pattern)
    {
        var reader = new SequenceReader<byte>(buffer.Slice(at));
        if (reader.Remaining < pattern.Length)
        {
            return reader.IsNext(pattern[..(int)reader.Remaining]) ? Undecided(at) : null;
        }

        if (!reader.IsNext(pattern, advancePast: true))
        {
            return null;
        }

        if (!reader.TryPeek(out var next))
        {
            return Undecided(at);
        }

        if (next == (byte)'-')
        {
            if (!reader.TryPeek(1, out var second))
            {
                return Undecided(at);
            }

            return second == (byte)'-' ? new DelimiterScan(at, DelimiterKind.Close, at + reader.Consumed + 2) : null;
        }

        var padding = 0;
        while (next is (byte)' ' or (byte)'\t')
        {
            if (++padding > MaxTransportPadding)
            {
                throw new MalformedMultipartException(
                    $"A boundary line has more than {MaxTransportPadding} bytes of padding");
            }

            reader.Advance(1);
            if (!reader.TryPeek(out next))
            {
                return Undecided(at);
            }
        }

        if (next != (byte)'\r')
        {
            return null;
        }

        if (!reader.TryPeek(1, out var lineFeed))
        {
            return Undecided(at);
        }

        return lineFeed == (byte)'\n' ? new DelimiterScan(at, DelimiterKind.Part, at + reader.Consumed + 2) : null;
    }

    private static DelimiterScan Undecided(long at) => new(at, DelimiterKind.Undecided);

    private long IndexOfDelimiter(ReadOnlySequence<byte> buffer, long from)
    {
        if (buffer.IsSingleSegment)
        {
            var index = buffer.FirstSpan[(int)from..].IndexOf(_delimiter);
            return index < 0 ? -1 : from + index;
        }

        var reader = new SequenceReader<byte>(buffer.Slice(from));
        return reader.TryReadTo(out ReadOnlySequence<byte> _, _delimiter, advancePastDelimiter: false)
            ? from + reader.Consumed
            : -1;
    }
}
