namespace JobServer.Services.Filesystem;

/// <summary>A path argument that passed the roots check.</summary>
/// <param name="Requested">The path as the caller wrote it.</param>
/// <param name="Entry">The entry itself: its directory resolved, a symbolic link in the last component kept
/// (what <c>lstat</c> looks at).</param>
/// <param name="Real">Fully resolved (what <c>stat</c> and <c>open</c> reach); the operations act on it.</param>
internal sealed record GuardedPath(string Requested, string Entry, string Real)
{
    /// <summary>The last component of the entry, <c>/</c> for the root directory.</summary>
    public string Name => Entry == "/" ? "/" : Path.GetFileName(Entry);
}
