namespace JobServer.Services.Filesystem;

/// <summary>What <c>filesystem.stat</c> and <c>filesystem.listdir</c> answer for one entry (lstat: a link is itself).</summary>
/// <param name="Name">The last path component.</param>
/// <param name="Path">The entry's path, its directory resolved.</param>
/// <param name="Realpath">Where it leads with every link resolved; null for a link that leads outside the roots.</param>
/// <param name="Type">FILE, DIRECTORY, SYMLINK or OTHER (fifo, socket, device).</param>
/// <param name="Size">Bytes (for a link: the length of its target text).</param>
/// <param name="Mode">The full <c>st_mode</c>, type bits included, as upstream (33188 is a 0644 file).</param>
/// <param name="Uid">The owner's id; null where the platform gives no <c>statx</c> (not Linux).</param>
/// <param name="Gid">The group's id; null likewise.</param>
internal sealed record FileEntry(
    string Name,
    string Path,
    string? Realpath,
    FileType Type,
    long Size,
    int Mode,
    long? Uid,
    long? Gid,
    DateTimeOffset Atime,
    DateTimeOffset Mtime,
    DateTimeOffset Ctime);
