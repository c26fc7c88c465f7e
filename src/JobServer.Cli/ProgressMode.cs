namespace JobServer.Cli;

/// <summary>How jobctl shows a job's or a transfer's progress (midclt's <c>-jp</c>), always on standard error.</summary>
internal enum ProgressMode
{
    /// <summary>A live bar (the default on a terminal).</summary>
    ProgressBar,

    /// <summary>One plain line per change, <c>40%: copying</c> (the default when standard error is not a terminal).</summary>
    Description,

    /// <summary>Nothing (with <c>--json</c>, unless <c>-jp</c> asks: standard error then holds only an error object).</summary>
    None,
}
