namespace JobServer.Transfers;

/// <summary>Upload and download settings (<c>JobServer:Transfers</c>).</summary>
internal sealed class TransferOptions
{
    public const string Section = "JobServer:Transfers";

    /// <summary>An unbuffered download must begin within this many seconds, or its job is aborted.</summary>
    public int DownloadStartSeconds { get; set; } = 60;

    /// <summary>A buffered download may be fetched within this many seconds.</summary>
    public int BufferedDownloadSeconds { get; set; } = 3600;

    /// <summary>Lifetime of a download token (single use, bound to the job and the caller's address).</summary>
    public int DownloadTokenSeconds { get; set; } = 300;

    /// <summary>Largest upload in bytes; 0 means no limit (files stream, nothing is held in memory).</summary>
    public long MaxUploadBytes { get; set; }

    /// <summary>Largest <c>data</c> part of an upload (the JSON call), in bytes.</summary>
    public int MaxDataPartBytes { get; set; } = 64 * 1024;

    /// <summary>How much job output may be buffered before the job's writes wait for the downloader.</summary>
    public int PipeBufferBytes { get; set; } = 1024 * 1024;
}
