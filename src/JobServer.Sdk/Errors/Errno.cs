namespace JobServer.Sdk.Errors;

/// <summary>
/// The errno values middlewared clients read in the <c>error</c> field of an error, with their names.
/// Values 1-133 are Linux's; 201 and up are middlewared's own.
/// </summary>
public static class Errno
{
    /// <summary>Operation not permitted.</summary>
    public const int EPERM = 1;
    /// <summary>No such file or directory (also: an instance that does not exist).</summary>
    public const int ENOENT = 2;
    /// <summary>Input/output error (the job store could not save a change).</summary>
    public const int EIO = 5;
    /// <summary>Try again; middlewared uses it for a list of validation errors.</summary>
    public const int EAGAIN = 11;
    /// <summary>Out of memory (a process job that exceeded its worker's memory limit).</summary>
    public const int ENOMEM = 12;
    /// <summary>Permission denied ("Not authorized").</summary>
    public const int EACCES = 13;
    /// <summary>Bad address; the default errno of a <see cref="CallError"/>.</summary>
    public const int EFAULT = 14;
    /// <summary>Device or resource busy.</summary>
    public const int EBUSY = 16;
    /// <summary>File exists.</summary>
    public const int EEXIST = 17;
    /// <summary>Not a directory.</summary>
    public const int ENOTDIR = 20;
    /// <summary>Is a directory.</summary>
    public const int EISDIR = 21;
    /// <summary>Invalid argument.</summary>
    public const int EINVAL = 22;
    /// <summary>Bad message (a method name without a dot).</summary>
    public const int EBADMSG = 74;
    /// <summary>Operation not supported (a method that needs a live connection, called without one).</summary>
    public const int ENOTSUP = 95;
    /// <summary>Cannot send after transport endpoint shutdown: the daemon is stopping and takes no new work.</summary>
    public const int ESHUTDOWN = 108;
    /// <summary>Too many references (too many concurrent calls on one connection).</summary>
    public const int ETOOMANYREFS = 109;
    /// <summary>Connection timed out.</summary>
    public const int ETIMEDOUT = 110;
    /// <summary>Operation canceled (an aborted job).</summary>
    public const int ECANCELED = 125;
    /// <summary>Method not found.</summary>
    public const int ENOMETHOD = 201;
    /// <summary>The session is not authenticated.</summary>
    public const int ENOTAUTHENTICATED = 207;

    /// <summary>The symbolic name of an errno, as middlewared writes it in <c>errname</c>.</summary>
    public static string NameOf(int errno) => errno switch
    {
        EPERM => "EPERM",
        ENOENT => "ENOENT",
        EIO => "EIO",
        EAGAIN => "EAGAIN",
        ENOMEM => "ENOMEM",
        EACCES => "EACCES",
        EFAULT => "EFAULT",
        EBUSY => "EBUSY",
        EEXIST => "EEXIST",
        ENOTDIR => "ENOTDIR",
        EISDIR => "EISDIR",
        EINVAL => "EINVAL",
        EBADMSG => "EBADMSG",
        ENOTSUP => "ENOTSUP",
        ESHUTDOWN => "ESHUTDOWN",
        ETOOMANYREFS => "ETOOMANYREFS",
        ETIMEDOUT => "ETIMEDOUT",
        ECANCELED => "ECANCELED",
        ENOMETHOD => "ENOMETHOD",
        ENOTAUTHENTICATED => "ENOTAUTHENTICATED",
        _ => "EUNKNOWN",
    };
}
