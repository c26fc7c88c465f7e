using JobServer.Services.Filesystem;
using Microsoft.Extensions.Options;

namespace JobServer.Tests.Filesystem;

/// <summary>A temporary directory with a <c>root</c> and an <c>outside</c> folder, deleted afterwards.</summary>
internal sealed class TempTree : IDisposable
{
    public TempTree()
    {
        var created = Path.Combine(Path.GetTempPath(), "jobserver-fs-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(created);
        // Tests compare with resolved paths; the temp folder itself may be reached through a link (macOS /var).
        RealPath.TryResolve(created, followFinal: true, out var real).Should().BeTrue();
        Base = real;
        Root = Directory.CreateDirectory(Path.Combine(Base, "root")).FullName;
        Outside = Directory.CreateDirectory(Path.Combine(Base, "outside")).FullName;
    }

    public string Base { get; }

    public string Root { get; }

    public string Outside { get; }

    public string InRoot(string relative) => Path.Combine(Root, relative);

    public string WriteFile(string path, string content = "hello")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public static FilesystemRoots RootsOf(params string[] roots) =>
        new(Options.Create(new FilesystemOptions { Roots = [.. roots] }));

    public void Dispose()
    {
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
