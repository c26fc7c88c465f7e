using JobServer.Transfers;

namespace JobServer.Hosting;

/// <summary>Registers and maps the file endpoints: <c>/_download/{id}</c> and <c>/_upload</c>.</summary>
internal static class TransfersServiceCollectionExtensions
{
    public static IServiceCollection AddTransfers(this IServiceCollection services)
    {
        services.AddOptions<TransferOptions>().BindConfiguration(TransferOptions.Section)
            .Validate(o => o.DownloadStartSeconds > 0 && o.BufferedDownloadSeconds > 0 && o.DownloadTokenSeconds > 0 &&
                           o.MaxUploadBytes >= 0 && o.MaxDataPartBytes > 0 && o.PipeBufferBytes >= 4096,
                "JobServer:Transfers settings are out of range")
            .ValidateOnStart();
        services.AddSingleton<TransferMetrics>();
        services.AddSingleton<DownloadRegistry>();
        services.AddSingleton<JobOutputResponse>();
        services.AddSingleton<DownloadEndpoint>();
        services.AddSingleton<HttpCredentials>();
        services.AddSingleton<MultipartUpload>();
        services.AddSingleton<UploadEndpoint>();
        return services;
    }

    /// <summary>Any verb and any trailing path, as upstream routes them (the seed's curl posts to <c>/_upload/</c>).</summary>
    public static void MapTransfers(this WebApplication app)
    {
        var download = app.Services.GetRequiredService<DownloadEndpoint>();
        var upload = app.Services.GetRequiredService<UploadEndpoint>();
        app.Map("/_download/{**path}", async (HttpContext context, string? path) =>
            await download.HandleAsync(context, path) ?? Results.Empty);
        app.Map("/_upload/{**path}", (Delegate)((HttpContext context) => upload.HandleAsync(context)));
    }
}
