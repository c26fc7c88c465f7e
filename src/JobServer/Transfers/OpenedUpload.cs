using JobServer.Calls;

namespace JobServer.Transfers;

/// <summary>An upload whose <c>data</c> part was read and whose caller signed in: the file part streams next.</summary>
internal sealed record OpenedUpload<TCall>(TCall Call, Caller Caller, UploadStream File);
