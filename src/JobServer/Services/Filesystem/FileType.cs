namespace JobServer.Services.Filesystem;

/// <summary>What an entry is; sent as <c>FILE</c>, <c>DIRECTORY</c>, <c>SYMLINK</c> or <c>OTHER</c> (as upstream).</summary>
internal enum FileType
{
    File,
    Directory,
    Symlink,
    Other,
}
