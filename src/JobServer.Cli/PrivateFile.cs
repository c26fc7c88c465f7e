namespace JobServer.Cli;

/// <summary>A file that holds a secret (the config file, an API key file) must be its owner's alone.</summary>
internal static class PrivateFile
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static void Check(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOthers) != 0)
        {
            throw new UsageException(
                $"{path} holds a secret but others may read it (mode {System.Convert.ToString((int)mode, 8)}); run: chmod 600 {path}");
        }
    }

    public static string ReadFirstLine(string path)
    {
        Check(path);
        return File.ReadLines(path).FirstOrDefault()?.Trim() ?? "";
    }
}
