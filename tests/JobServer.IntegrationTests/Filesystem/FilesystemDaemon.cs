using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Filesystem;

/// <summary>
/// A daemon whose only filesystem root is a temporary <c>root</c> folder; an <c>outside</c> folder sits next to it
/// for escape attempts.
/// </summary>
public sealed class FilesystemDaemon : IAsyncLifetime
{
    public Daemon Daemon { get; private set; } = null!;

    public string Base { get; } = Path.Combine(Path.GetTempPath(), "jobserver-fs-it", Guid.NewGuid().ToString("N"));

    public string Root => Path.Combine(Base, "root");

    public string Outside => Path.Combine(Base, "outside");

    /// <summary>A fresh directory inside the root for one test, so tests of the class do not see each other's files.</summary>
    public string NewDirectory()
    {
        var directory = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Outside);
        Daemon = await Daemon.StartAsync([$"--JobServer:Filesystem:Roots:0={Root}"]);
    }

    public async Task DisposeAsync()
    {
        await Daemon.DisposeAsync();
        try
        {
            Directory.Delete(Base, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS cleans its temp folder.
        }
    }
}
