namespace JobServer.Services.Filesystem;

/// <summary>The file-type bits of <c>st_mode</c> (<c>S_IFMT</c> and friends, the same on every Unix).</summary>
internal static class UnixMode
{
    public const int TypeMask = 0xF000;
    public const int Fifo = 0x1000;
    public const int Directory = 0x4000;
    public const int Regular = 0x8000;
    public const int Symlink = 0xA000;

    public static FileType TypeOf(int mode) => (mode & TypeMask) switch
    {
        Regular => FileType.File,
        Directory => FileType.Directory,
        Symlink => FileType.Symlink,
        _ => FileType.Other,
    };

    public static bool IsFifo(int mode) => (mode & TypeMask) == Fifo;

    public static bool IsRegular(int mode) => (mode & TypeMask) == Regular;
}
