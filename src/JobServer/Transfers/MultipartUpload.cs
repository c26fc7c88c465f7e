using JobServer.Calls;
using JobServer.Jobs;
using JobServer.Transfers.Multipart;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace JobServer.Transfers;

/// <summary>
/// The reception of a multipart upload (reference §4.3), shared by <c>/_upload</c> and the REST mirror's upload
/// routes: the part <c>data</c> first (read whole, bounded, and parsed by the door), the sign-in, then the part
/// <c>file</c>, which streams into the job's input as it arrives. Each door only says how it reads <c>data</c>
/// and who the caller is.
/// </summary>
internal sealed class MultipartUpload(IOptions<TransferOptions> options, TransferMetrics metrics)
{
    /// <summary>Reads the <c>data</c> part (at most the given bytes) into a door's call, or refuses it.</summary>
    public delegate Task<(TCall? Call, IResult? Error)> DataReader<TCall>(
        Stream part, int maxBytes, CancellationToken cancellationToken) where TCall : class;

    /// <summary>
    /// Opens the upload: its call, its caller and the file's stream; or the answer that refuses it (nothing was
    /// created then: issue 12 item 14).
    /// </summary>
    public async Task<(OpenedUpload<TCall>? Upload, IResult? Refusal)> OpenAsync<TCall>(HttpContext context,
        DataReader<TCall> readData, Func<HttpContext, Task<HttpSignIn>> authenticate) where TCall : class
    {
        if (BoundaryOf(context.Request.ContentType, out var problem) is not { } boundary)
        {
            return (null, HttpError.Json(StatusCodes.Status400BadRequest, problem));
        }

        // Files stream into jobs, so Kestrel's 30 MB default does not apply; our own limit (if any) does.
        var limit = options.Value.MaxUploadBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit > 0 ? limit + options.Value.MaxDataPartBytes + 64 * 1024 : null;
        }

        if (limit > 0 && context.Request.ContentLength > limit + options.Value.MaxDataPartBytes + 64 * 1024)
        {
            return (null, HttpError.Json(StatusCodes.Status413PayloadTooLarge, $"The upload is larger than {limit} bytes"));
        }

        try
        {
            return await ReadPartsAsync(context, new MultipartBodyReader(context.Request.BodyReader, boundary),
                readData, authenticate);
        }
        catch (MalformedMultipartException e)
        {
            return (null, HttpError.Json(StatusCodes.Status400BadRequest, e.Message));
        }
    }

    /// <summary>
    /// Waits until the job has read the upload (or ended), as upstream answers; then the refusal of an upload that
    /// went over the limit or broke off, or null when it was read whole.
    /// </summary>
    public async Task<IResult?> WaitReadAsync(UploadStream upload, Job job)
    {
        await Task.WhenAny(upload.Consumed, job.Finished.Task);
        metrics.Uploaded(upload.Position);
        if (upload.TooLarge)
        {
            return HttpError.Json(StatusCodes.Status413PayloadTooLarge,
                $"The upload is larger than {options.Value.MaxUploadBytes} bytes; job {job.Id} failed");
        }

        // The file part broke off after its job had started: the job fails on it (so a job that writes a file
        // renames nothing into place), and the client learns why.
        return upload.Malformed is { } malformed
            ? HttpError.Json(StatusCodes.Status400BadRequest, $"{malformed.Message}; job {job.Id} failed")
            : null;
    }

    private async Task<(OpenedUpload<TCall>?, IResult?)> ReadPartsAsync<TCall>(HttpContext context,
        MultipartBodyReader reader, DataReader<TCall> readData, Func<HttpContext, Task<HttpSignIn>> authenticate)
        where TCall : class
    {
        var dataPart = await reader.ReadNextPartAsync(lastPart: false, context.RequestAborted);
        if (dataPart is null)
        {
            return (null, HttpError.Json(StatusCodes.Status405MethodNotAllowed, "No part found on payload"));
        }

        if (dataPart.Name != "data")
        {
            return (null, HttpError.Json(StatusCodes.Status405MethodNotAllowed, "\"data\" part must be the first on payload"));
        }

        var (call, callError) = await readData(dataPart.Body, options.Value.MaxDataPartBytes, context.RequestAborted);
        if (call is null)
        {
            return (null, callError);
        }

        var (caller, refusal) = await authenticate(context);
        if (caller is null)
        {
            return (null, refusal);
        }

        var filePart = await reader.ReadNextPartAsync(lastPart: true, context.RequestAborted);
        if (filePart is null || filePart.Name != "file")
        {
            return (null, HttpError.Json(StatusCodes.Status405MethodNotAllowed, "\"file\" not found as second part on payload"));
        }

        return (new OpenedUpload<TCall>(call, caller, new UploadStream(filePart.Body, options.Value.MaxUploadBytes)), null);
    }

    /// <summary>The boundary of a <c>multipart/form-data</c> Content-Type (RFC 2046: 1 to 70 characters); else null and why.</summary>
    private static string? BoundaryOf(string? contentType, out string problem)
    {
        problem = "Expected a multipart/form-data body";
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType) ||
            !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (boundary is not { Length: > 0 and <= 70 })
        {
            problem = "The multipart/form-data Content-Type needs a boundary parameter of 1 to 70 characters";
            return null;
        }

        return boundary;
    }
}
