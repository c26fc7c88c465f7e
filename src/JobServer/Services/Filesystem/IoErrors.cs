using JobServer.Sdk.Errors;

namespace JobServer.Services.Filesystem;

/// <summary>Turns .NET's I/O exceptions into call errors with the errno a middlewared client expects.</summary>
internal static class IoErrors
{
    public static bool IsIo(Exception e) => e is IOException or UnauthorizedAccessException;

    public static CallError ToCallError(Exception e, string path) => e switch
    {
        UnauthorizedAccessException => new CallError($"{path}: permission denied", Errno.EACCES),
        FileNotFoundException or DirectoryNotFoundException => new CallError($"{path}: no such file or directory",
            Errno.ENOENT),
        _ => new CallError($"{path}: {e.Message}", Errno.EFAULT),
    };
}
