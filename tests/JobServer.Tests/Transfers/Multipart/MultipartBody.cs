using System.IO.Pipelines;
using System.Text;
using JobServer.Transfers.Multipart;

namespace JobServer.Tests.Transfers.Multipart;

/// <summary>Builds multipart bodies and reads them back through <see cref="MultipartBodyReader"/>.</summary>
internal static class MultipartBody
{
    public const string Boundary = "XyZ-boundary";

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    /// <summary>A well-formed body of form-data parts, each <c>(name, content)</c>.</summary>
    public static byte[] Of(params (string Name, byte[] Content)[] parts)
    {
        var body = new MemoryStream();
        foreach (var (name, content) in parts)
        {
            body.Write(Ascii($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"));
            body.Write(content);
            body.Write(Ascii("\r\n"));
        }

        body.Write(Ascii($"--{Boundary}--\r\n"));
        return body.ToArray();
    }

    /// <summary>Reads every part of <paramref name="body"/>, delivered <paramref name="maxChunk"/> bytes at a time
    /// and read into a buffer of <paramref name="readBytes"/>.</summary>
    public static async Task<List<(string? Name, byte[] Content)>> ReadAllAsync(byte[] body, int maxChunk = 4096,
        bool cycle = false, int readBytes = 8192)
    {
        var pipe = PipeReader.Create(new TrickleStream(body, maxChunk, cycle),
            new StreamPipeReaderOptions(bufferSize: Math.Max(maxChunk, 16), minimumReadSize: 1));
        var reader = new MultipartBodyReader(pipe, Boundary);
        var parts = new List<(string?, byte[])>();
        var buffer = new byte[readBytes];
        while (await reader.ReadNextPartAsync(lastPart: false, CancellationToken.None) is { } part)
        {
            var content = new MemoryStream();
            int read;
            while ((read = await part.Body.ReadAsync(buffer)) > 0)
            {
                content.Write(buffer, 0, read);
            }

            parts.Add((part.Name, content.ToArray()));
        }

        return parts;
    }
}
