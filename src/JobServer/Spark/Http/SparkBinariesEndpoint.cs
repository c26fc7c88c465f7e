using System.Text.Json.Nodes;
using JobServer.Spark.Binaries;
using JobServer.Transfers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace JobServer.Spark.Http;

/// <summary>
/// <c>/binaries</c> exactly as spark-jobserver's (reference §1.1). An upload is the job <c>spark.binary_upload</c>
/// reading the raw body as its input pipe, so it streams to disk and is never whole in memory.
/// </summary>
internal sealed class SparkBinariesEndpoint(SparkDoor door, IOptions<SparkOptions> options)
{
    public async Task<IResult> ListAsync(HttpContext context)
    {
        if (SparkDoor.VerbOf(context) != HttpMethods.Get)
        {
            return NotAllowed(context, "GET");
        }

        var (caller, refusal) = await door.SignInAsync(context);
        return caller is null ? refusal! : SparkDoor.Render((await door.CallAsync(context, caller, "spark.binary_query", [])).Outcome);
    }

    public async Task<IResult> HandleAsync(HttpContext context, string name)
    {
        var verb = SparkDoor.VerbOf(context);
        if (verb != HttpMethods.Get && verb != HttpMethods.Post && verb != HttpMethods.Delete)
        {
            return NotAllowed(context, "GET, POST, DELETE");
        }

        var (caller, refusal) = await door.SignInAsync(context);
        if (caller is null)
        {
            return refusal!;
        }

        if (verb == HttpMethods.Get)
        {
            return SparkDoor.Render((await door.CallAsync(context, caller, "spark.binary_get", [name])).Outcome);
        }

        if (verb == HttpMethods.Delete)
        {
            var deleted = await door.CallAsync(context, caller, "spark.binary_delete", [name]);
            return deleted.Outcome.Error switch
            {
                null => SparkResponses.Success(StatusCodes.Status200OK),
                // spark's 403 "Binary is in use by job(s): <ids>" while one of its jobs waits or runs.
                { Errno: Sdk.Errors.Errno.EBUSY } busy => SparkResponses.Error(StatusCodes.Status403Forbidden,
                    Calls.ErrorMapper.WithoutErrname(busy.Reason)),
                _ => SparkDoor.Render(deleted.Outcome),
            };
        }

        return await UploadAsync(context, caller, name);
    }

    private async Task<IResult> UploadAsync(HttpContext context, Calls.Caller caller, string name)
    {
        var limit = options.Value.MaxBinaryBytes;
        if (context.Request.ContentLength > limit)
        {
            return TooLarge(limit);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        var contentType = context.Request.ContentType ?? "";
        var upload = new UploadStream(context.Request.Body, limit);
        var result = await door.CallAsync(context, caller, "spark.binary_upload", [name, contentType],
            new JobPipeSet(upload, null));
        if (result.Outcome.Error is not { } error)
        {
            return SparkResponses.Success(StatusCodes.Status201Created);
        }

        if (upload.TooLarge)
        {
            return TooLarge(limit);
        }

        var failure = SparkCallFailure.Of(error);
        return failure switch
        {
            // Refused before its job was created: spark's 415 for a missing or unknown type.
            { Attribute: "content_type" } => SparkResponses.Error(StatusCodes.Status415UnsupportedMediaType,
                $"Unsupported binary type {contentType}"),
            { Status: StatusCodes.Status500InternalServerError } => SparkResponses.Exception(failure.Status,
                "Storage Failure", new JsonObject { ["message"] = failure.Message, ["errorClass"] = "", ["stack"] = "" }),
            _ => failure.ToResult(),
        };
    }

    private static IResult TooLarge(long limit) =>
        SparkResponses.Error(StatusCodes.Status413PayloadTooLarge, $"The binary is larger than the limit of {limit} bytes");

    private static IResult NotAllowed(HttpContext context, string verbs)
    {
        context.Response.Headers.Allow = verbs;
        return SparkResponses.Error(StatusCodes.Status405MethodNotAllowed, $"{context.Request.Method} is not allowed here");
    }
}
