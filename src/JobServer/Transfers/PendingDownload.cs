using JobServer.Jobs;

namespace JobServer.Transfers;

/// <summary>A download that was offered (by <c>core.download</c>) and has not begun.</summary>
internal sealed record PendingDownload(Job Job, JobOutput Output, string FileName, bool Buffered, ITimer Expiry);
