namespace JobServer.Cli;

/// <summary>What jobctl's exit status means; scripts rely on these four.</summary>
internal static class ExitCodes
{
    /// <summary>The call or job succeeded.</summary>
    public const int Success = 0;

    /// <summary>The daemon refused the call, the method failed, or the job failed or was aborted.</summary>
    public const int CallFailed = 1;

    /// <summary>Bad usage: an unknown option, a missing argument, an unreadable or unsafe file.</summary>
    public const int Usage = 2;

    /// <summary>Cannot connect, or cannot sign in.</summary>
    public const int CannotConnect = 3;
}
