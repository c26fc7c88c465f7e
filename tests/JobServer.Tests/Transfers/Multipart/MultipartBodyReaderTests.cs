using System.Security.Cryptography;
using System.Text;
using JobServer.Transfers.Multipart;
using static JobServer.Tests.Transfers.Multipart.MultipartBody;

namespace JobServer.Tests.Transfers.Multipart;

/// <summary>
/// RFC 2046 delimiters (issue 12 item 13): a part ends only at <c>CRLF--boundary</c> followed by padding and CRLF,
/// or by <c>--</c>; boundary look-alikes inside content are content, however the body is cut into reads.
/// </summary>
public sealed class MultipartBodyReaderTests
{
    /// <summary>Content that holds the boundary in ways that are not delimiters.</summary>
    public static TheoryData<string> LookAlikes() => new()
    {
        $"hello\r\n--{Boundary} and then more text that must not be lost",
        $"\r\n--{Boundary}x",
        $"\r\n--{Boundary}-x",
        $"\r\n--{Boundary} \t x",
        $"\r\n--{Boundary}\rx",
        $"ends with a CR after the boundary\r\n--{Boundary}\r",
        $"\n--{Boundary}\r\n bare LF before",
        $"--{Boundary}\r\n at the start of the content, without a CRLF before it",
        $"\r\n--{Boundary.ToUpperInvariant()}\r\n other case",
        $"\r\n-{Boundary}\r\n one dash",
        $"\r\n\r\n\r\n--{Boundary[..^1]}\r\n prefix only",
        "\r\r\r\n\n\r\n-\r\n--\r\n",
        "ends with a partial delimiter\r\n--Xy",
        "ends with CRLF\r\n",
        "ends with CR\r",
        "",
    };

    [Theory]
    [MemberData(nameof(LookAlikes))]
    public async Task LookAlikeInContent_AtEveryReadSize_IsKeptWhole(string content)
    {
        var file = Encoding.ASCII.GetBytes(content);
        var body = Of(("data", Ascii("{}")), ("file", file));

        for (var chunk = 1; chunk <= body.Length; chunk++)
        {
            var parts = await ReadAllAsync(body, chunk);

            parts.Select(p => p.Name).Should().Equal("data", "file");
            parts[1].Content.Should().Equal(file, $"the body arrived {chunk} bytes at a time");
        }

        (await ReadAllAsync(body, 13, cycle: true, readBytes: 1))[1].Content.Should().Equal(file);
        (await ReadAllAsync(body, 7, cycle: true, readBytes: 3))[1].Content.Should().Equal(file);
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("\t \t")]
    [InlineData("")]
    public async Task DelimiterWithTransportPadding_EndsThePart(string padding)
    {
        var body = Ascii($"preamble\r\n--{Boundary}{padding}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" +
                         $"one\r\n--{Boundary}{padding}\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n" +
                         $"two\r\n--{Boundary}--{padding}\r\nepilogue\r\n--{Boundary}\r\nignored");

        for (var chunk = 1; chunk <= body.Length; chunk++)
        {
            var parts = await ReadAllAsync(body, chunk);

            parts.Select(p => (p.Name, Encoding.ASCII.GetString(p.Content))).Should().Equal(("a", "one"), ("b", "two"));
        }
    }

    [Fact]
    public async Task PartNotRead_IsSkippedByTheNextRead()
    {
        var body = Of(("a", Pattern(100_000)), ("b", Ascii("second")));
        var reader = new MultipartBodyReader(System.IO.Pipelines.PipeReader.Create(new MemoryStream(body)), Boundary);

        var first = await reader.ReadNextPartAsync(lastPart: false, CancellationToken.None);
        var second = await reader.ReadNextPartAsync(lastPart: false, CancellationToken.None);

        second!.Name.Should().Be("b");
        (await first!.Body.ReadAsync(new byte[10])).Should().Be(0, "the reader moved past the first part");
        using var text = new StreamReader(second.Body);
        (await text.ReadToEndAsync()).Should().Be("second");
        (await reader.ReadNextPartAsync(lastPart: false, CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task LastPart_FollowedByAnotherPart_Throws()
    {
        var body = Of(("a", Ascii("file with a real\r\n--" + Boundary + "\r\nX-Header: line")), ("b", Ascii("more")));
        var reader = new MultipartBodyReader(System.IO.Pipelines.PipeReader.Create(new MemoryStream(body)), Boundary);
        var part = await reader.ReadNextPartAsync(lastPart: true, CancellationToken.None);

        var read = () => part!.Body.CopyToAsync(Stream.Null);

        (await read.Should().ThrowAsync<MalformedMultipartException>()).Which.Message.Should().Contain("Another part follows");
    }

    [Fact]
    public async Task LargeFileFullOfLookAlikes_ArrivesWithTheSameSha256()
    {
        var file = Pattern(3_000_000);
        var lookAlike = Ascii($"\r\n--{Boundary}!");
        for (var at = 1000; at + lookAlike.Length < file.Length; at += 9973)
        {
            lookAlike.CopyTo(file, at);
        }

        var body = Of(("data", Ascii("{}")), ("file", file));

        foreach (var (chunk, cycle) in new[] { (65_536, false), (4096, false), (7919, true), (1, false) })
        {
            var parts = await ReadAllAsync(body, chunk, cycle, readBytes: 65_536);
            SHA256.HashData(parts[1].Content).Should().Equal(SHA256.HashData(file), $"chunks of {chunk}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(4096)]
    public async Task SmallReadsFromALargeBuffer_FindEveryDelimiter(int readBytes)
    {
        // The body is all in the pipe at once and read a little at a time: the reader scans a window, not the buffer.
        var file = Pattern(200_000);
        var lookAlike = Ascii($"\r\n--{Boundary} \t");
        for (var at = 0; at + lookAlike.Length < file.Length; at += 997)
        {
            lookAlike.CopyTo(file, at);
        }

        var body = Of(("a", file), ("b", Ascii("second")), ("c", []));

        var parts = await ReadAllAsync(body, maxChunk: body.Length, readBytes: readBytes);

        parts.Select(p => p.Name).Should().Equal("a", "b", "c");
        SHA256.HashData(parts[0].Content).Should().Equal(SHA256.HashData(file));
        parts[1].Content.Should().Equal(Ascii("second"));
        parts[2].Content.Should().BeEmpty();
    }

    [Theory]
    [InlineData("", "The request body is empty")]
    [InlineData("--other\r\n\r\nx\r\n--other--\r\n", "has no boundary line \"--XyZ-boundary\"")]
    [InlineData("--XyZ-boundary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end", "before its closing boundary")]
    [InlineData("--XyZ-boundary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ-boundary", "before its closing boundary")]
    [InlineData("--XyZ-boundary\r\nContent-Disposition: form-data", "inside a part's headers")]
    [InlineData("--XyZ-boundary\r\nno colon here\r\n\r\nx\r\n--XyZ-boundary--", "not \"Name: value\"")]
    public async Task MalformedBody_ThrowsWithAClearMessage(string body, string message)
    {
        for (var chunk = 1; chunk <= Math.Max(1, body.Length); chunk += 5)
        {
            var read = () => ReadAllAsync(Ascii(body), chunk);

            (await read.Should().ThrowAsync<MalformedMultipartException>()).Which.Message.Should().Contain(message);
        }
    }

    [Fact]
    public async Task HeaderLimits_LongLineOrTooManyLines_Throw()
    {
        var longLine = Ascii($"--{Boundary}\r\nX-Long: {new string('a', MultipartBodyReader.MaxHeaderLineBytes)}\r\n\r\n" +
                             $"x\r\n--{Boundary}--");
        var manyLines = Ascii($"--{Boundary}\r\n" + string.Concat(Enumerable.Range(0, 17).Select(i => $"X-{i}: v\r\n")) +
                              $"\r\nx\r\n--{Boundary}--");
        var padding = Ascii($"--{Boundary}" + new string(' ', 2000) + $"\r\n\r\nx\r\n--{Boundary}--");

        (await FluentActions.Awaiting(() => ReadAllAsync(longLine)).Should().ThrowAsync<MalformedMultipartException>())
            .Which.Message.Should().Contain("longer than 16384 bytes");
        (await FluentActions.Awaiting(() => ReadAllAsync(longLine, 100_000)).Should().ThrowAsync<MalformedMultipartException>())
            .Which.Message.Should().Contain("longer than 16384 bytes");
        (await FluentActions.Awaiting(() => ReadAllAsync(manyLines)).Should().ThrowAsync<MalformedMultipartException>())
            .Which.Message.Should().Contain("more than 16 header lines");
        (await FluentActions.Awaiting(() => ReadAllAsync(padding)).Should().ThrowAsync<MalformedMultipartException>())
            .Which.Message.Should().Contain("padding");
    }

    private static byte[] Pattern(int bytes) => Enumerable.Range(0, bytes).Select(i => (byte)(i % 251)).ToArray();
}
