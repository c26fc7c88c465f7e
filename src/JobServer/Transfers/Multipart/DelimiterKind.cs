namespace JobServer.Transfers.Multipart;

/// <summary>What <see cref="DelimiterScanner"/> found after the content it can vouch for.</summary>
internal enum DelimiterKind
{
    /// <summary>No delimiter in view: the content runs on past what has been read.</summary>
    None,

    /// <summary>More bytes are needed to tell whether a delimiter starts here.</summary>
    Undecided,

    /// <summary>A delimiter line (<c>CRLF--boundary</c>, padding, CRLF): another part follows.</summary>
    Part,

    /// <summary>The close delimiter (<c>CRLF--boundary--</c>): the last part ended; the epilogue is ignored.</summary>
    Close,
}
