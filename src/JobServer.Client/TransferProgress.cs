namespace JobServer.Client;

/// <summary>How far an upload or download has come.</summary>
/// <param name="Bytes">Bytes sent or received so far.</param>
/// <param name="TotalBytes">The whole size when known (an upload of a seekable stream, a download with a length).</param>
public sealed record TransferProgress(long Bytes, long? TotalBytes);
