using JobServer.Sdk.Errors;

namespace JobServer.Jobs.Storage;

/// <summary>
/// A job change could not be stored (after the retries a transient error gets). The call that waited for it fails
/// with this error, in the protocol's own shape (EIO), and nothing of the change was published; the writer logs
/// the cause with its stack.
/// </summary>
internal sealed class JobStoreWriteException(string reason)
    : CallError($"The job store could not save the change: {reason}", Sdk.Errors.Errno.EIO);
