namespace JobServer.Transfers.Multipart;

/// <summary>
/// The result of one <see cref="DelimiterScanner.Scan"/>: the first <see cref="ContentLength"/> bytes are content;
/// after them comes <see cref="Kind"/>, which for <see cref="DelimiterKind.Part"/> ends at <see cref="DelimiterEnd"/>
/// (just after its CRLF, where the next part's headers begin).
/// </summary>
internal readonly record struct DelimiterScan(long ContentLength, DelimiterKind Kind, long DelimiterEnd = 0);
