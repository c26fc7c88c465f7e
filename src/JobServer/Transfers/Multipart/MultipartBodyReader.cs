using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace JobServer.Transfers.Multipart;

/// <summary>
/// Reads a multipart/form-data body (RFC 2046 §5.1.1, RFC 7578) part by part, straight from the request's
/// <see cref="PipeReader"/>: a part's content is handed out as it arrives and never buffered whole, so a GiB file
/// streams into its job. Anything that is not well-formed multipart throws <see cref="MalformedMultipartException"/>.
/// </summary>
/// <remarks>
/// Written for issue 12 (items 13, 14) instead of ASP.NET Core's <c>MultipartReader</c>, which ended a part at a
/// boundary-like line inside the content (silently truncating the file) and answered malformed bodies with
/// exceptions that became bodiless 500s.
/// </remarks>
internal sealed class MultipartBodyReader(PipeReader body, string boundary)
{
    /// <summary>The longest part header line, as ASP.NET Core's reader allowed in all (16 KiB).</summary>
    public const int MaxHeaderLineBytes = 16 * 1024;

    /// <summary>The most header lines in one part, as ASP.NET Core's reader allowed.</summary>
    public const int MaxHeaderCount = 16;

    private readonly DelimiterScanner _scanner = new(boundary);
    private State _state = State.Preamble;
    private long _preambleBytes;
    private int _partNumber;
    private bool _lastPart;

    private enum State
    {
        Preamble,
        Headers,
        Content,
        Finished,
    }

    /// <summary>
    /// The next part, after skipping what is left of the one before; null once the close delimiter was read.
    /// </summary>
    /// <param name="lastPart">No part may follow this one: its content must end at the close delimiter. Without
    /// it, a file holding a real delimiter line would end there and its job would store a shorter file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async ValueTask<MultipartPart?> ReadNextPartAsync(bool lastPart, CancellationToken cancellationToken)
    {
        while (_state is State.Preamble or State.Content)
        {
            await ReadOrSkipAsync(Memory<byte>.Empty, skip: true, cancellationToken);
        }

        if (_state == State.Finished)
        {
            return null;
        }

        var headers = await ReadHeadersAsync(cancellationToken);
        _state = State.Content;
        _lastPart = lastPart;
        _partNumber++;
        return new MultipartPart(headers, new MultipartPartStream(this, _partNumber));
    }

    /// <summary>Content of part <paramref name="partNumber"/>; 0 at its end (or once the reader moved past it).</summary>
    public ValueTask<int> ReadContentAsync(int partNumber, Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (partNumber != _partNumber || _state != State.Content || destination.IsEmpty)
        {
            return ValueTask.FromResult(0);
        }

        return ReadOrSkipAsync(destination, skip: false, cancellationToken);
    }

    /// <summary>
    /// Copies content up to the next delimiter into <paramref name="destination"/> (returning the count, at least
    /// one byte unless the part ended), or with <paramref name="skip"/> discards it all; at the delimiter, moves past
    /// it to the next part's headers (or to the end) and returns 0.
    /// </summary>
    private async ValueTask<int> ReadOrSkipAsync(Memory<byte> destination, bool skip, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken);
            int? read;
            try
            {
                read = ReadOrSkip(result, destination, skip);
            }
            catch (MalformedMultipartException)
            {
                // Let go of the read, or Kestrel cannot drain the body and the 400 never reaches the client.
                body.AdvanceTo(result.Buffer.End);
                throw;
            }

            if (read is { } count)
            {
                return count;
            }
        }
    }

    /// <summary>One step of <see cref="ReadOrSkipAsync"/> on the bytes read; null to read again.</summary>
    private int? ReadOrSkip(ReadResult result, Memory<byte> destination, bool skip)
    {
        var buffer = result.Buffer;
        // Kestrel may hold up to a MiB unread; a job reading 64 KiB at a time must not rescan all of it per read.
        // The window still decides any delimiter at its start, so it never waits for bytes it already has.
        var window = skip || buffer.Length <= destination.Length + _scanner.DecisiveBytes
            ? buffer
            : buffer.Slice(0, destination.Length + _scanner.DecisiveBytes);
        var scan = _scanner.Scan(window, atBodyStart: _state == State.Preamble && _preambleBytes == 0);
        if (scan.ContentLength > 0)
        {
            var count = skip ? scan.ContentLength : Math.Min(destination.Length, scan.ContentLength);
            if (!skip)
            {
                buffer.Slice(0, count).CopyTo(destination.Span);
            }
            else if (_state == State.Preamble)
            {
                _preambleBytes += count;
            }

            body.AdvanceTo(buffer.GetPosition(count));
            return skip ? null : (int)count;
        }

        if (scan.Kind is DelimiterKind.Part or DelimiterKind.Close)
        {
            if (scan.Kind == DelimiterKind.Part && _lastPart)
            {
                throw new MalformedMultipartException(
                    "Another part follows the last part allowed; does the file contain a boundary line?");
            }

            // The epilogue after the close delimiter is ignored (RFC 2046); Kestrel drains the rest of the body.
            body.AdvanceTo(buffer.GetPosition(scan.DelimiterEnd));
            _state = scan.Kind == DelimiterKind.Part ? State.Headers : State.Finished;
            return 0;
        }

        if (result.IsCompleted)
        {
            throw new MalformedMultipartException(EndedEarly(buffer.Length));
        }

        // Too few bytes to decide: wait for more (marking all of them examined, or the read would not wait).
        body.AdvanceTo(buffer.Start, buffer.End);
        return null;
    }

    private string EndedEarly(long unreadBytes) => _state switch
    {
        State.Preamble when _preambleBytes + unreadBytes == 0 => "The request body is empty",
        State.Preamble => $"The body has no boundary line \"--{boundary}\" (the boundary of its Content-Type)",
        _ => $"The body ended inside a part, before its closing boundary \"--{boundary}--\"",
    };

    private async ValueTask<IReadOnlyDictionary<string, string>> ReadHeadersAsync(CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var lines = 0;
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken);
            try
            {
                if (ReadHeaderLines(result, headers, ref lines))
                {
                    return headers;
                }
            }
            catch (MalformedMultipartException)
            {
                body.AdvanceTo(result.Buffer.End);
                throw;
            }
        }
    }

    /// <summary>Adds the complete header lines read; true once the blank line that ends them was read.</summary>
    private bool ReadHeaderLines(ReadResult result, Dictionary<string, string> headers, ref int lines)
    {
        var buffer = result.Buffer;
        var reader = new SequenceReader<byte>(buffer);
        while (reader.TryReadTo(out ReadOnlySequence<byte> line, "\r\n"u8))
        {
            if (line.IsEmpty)
            {
                body.AdvanceTo(reader.Position);
                return true;
            }

            if (line.Length > MaxHeaderLineBytes)
            {
                throw HeaderLineTooLong();
            }

            if (++lines > MaxHeaderCount)
            {
                throw new MalformedMultipartException($"A part has more than {MaxHeaderCount} header lines");
            }

            AddHeader(headers, line);
        }

        if (reader.Remaining > MaxHeaderLineBytes)
        {
            throw HeaderLineTooLong();
        }

        if (result.IsCompleted)
        {
            throw new MalformedMultipartException("The body ended inside a part's headers");
        }

        body.AdvanceTo(reader.Position, buffer.End);
        return false;
    }

    private static MalformedMultipartException HeaderLineTooLong() =>
        new($"A part header line is longer than {MaxHeaderLineBytes} bytes");

    /// <summary><c>Name: value</c>; header values are UTF-8, as browsers send non-ASCII file names (RFC 7578 §5.1).</summary>
    private static void AddHeader(Dictionary<string, string> headers, ReadOnlySequence<byte> line)
    {
        var text = Encoding.UTF8.GetString(line);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new MalformedMultipartException("A part header line is not \"Name: value\"");
        }

        headers[text[..colon].Trim()] = text[(colon + 1)..].Trim();
    }
}
