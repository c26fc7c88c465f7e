using System.Diagnostics;

namespace JobServer.IntegrationTests.Filesystem;

/// <summary>
/// A named pipe as a copy source the test controls: the copy reads whatever the test writes and ends only when the
/// test closes its end. That holds a copy job open deterministically, with no sleeps or size guesses.
/// </summary>
public sealed class Fifo : IAsyncDisposable
{
    private FileStream? _writer;

    private Fifo(string path) => Path = path;

    public string Path { get; }

    public static async Task<Fifo> CreateAsync(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo") { ArgumentList = { path } })!;
        await mkfifo.WaitForExitAsync();
        mkfifo.ExitCode.Should().Be(0);
        return new Fifo(path);
    }

    /// <summary>Opens the writing end; completes once the reader (the copy job) has opened the other.</summary>
    public async Task OpenWriterAsync(TimeSpan? timeout = null)
    {
        // open(2) of a fifo blocks until both ends are open; on a worker thread, bounded by a timeout.
        _writer = await Task.Run(() => new FileStream(Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1))
            .WaitAsync(timeout ?? TimeSpan.FromSeconds(15));
    }

    public async Task WriteAsync(byte[] data)
    {
        await _writer!.WriteAsync(data);
        await _writer.FlushAsync();
    }

    /// <summary>
    /// Writes a little to wake a reader blocked on the fifo. The reader may have gone already (a copy that saw its
    /// abort between two reads closes its end): the write then fails with a broken pipe, which is what waking was for.
    /// </summary>
    public async Task WakeAsync()
    {
        try
        {
            await WriteAsync(new byte[1024]);
        }
        catch (IOException)
        {
            // The reader closed its end first (EPIPE).
        }
    }

    /// <summary>Closes the writing end: the reader sees the end of the data.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
            _writer = null;
        }
    }
}
