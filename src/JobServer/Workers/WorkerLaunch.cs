using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace JobServer.Workers;

/// <summary>
/// How a worker process is started: the daemon's own build with the <c>worker</c> verb, on the runtime the daemon
/// runs on (its <c>dotnet</c> host, found from the runtime directory, or the apphost beside the daemon), with the
/// heap limit in its environment and without the daemon's secrets (<c>JOBSERVER_*</c> and <c>JobServer__*</c>
/// variables: a root password, tokens) — plugin code runs there.
/// </summary>
internal sealed class WorkerLaunch(IOptions<WorkersOptions> options)
{
    private static readonly string DaemonAssembly = typeof(WorkerLaunch).Assembly.Location;

    /// <param name="memoryLimitMb">The heap limit, when not the workers' (a Spark context's <c>memory-per-node</c>).</param>
    /// <param name="processorCount">The cores the runtime may see (a Spark context's <c>num-cpu-cores</c>); null: all.</param>
    public ProcessStartInfo StartInfo(int? memoryLimitMb = null, int? processorCount = null)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(DaemonAssembly)!,
        };
        if (DotnetHost() is { } host)
        {
            start.FileName = host;
            start.ArgumentList.Add(DaemonAssembly);
        }
        else
        {
            start.FileName = Path.ChangeExtension(DaemonAssembly, OperatingSystem.IsWindows() ? ".exe" : null)!;
        }

        start.ArgumentList.Add(Host.WorkerMain.Verb);
        foreach (var name in start.Environment.Keys.Where(IsDaemonSetting).ToArray())
        {
            start.Environment.Remove(name);
        }

        if ((memoryLimitMb ?? options.Value.MemoryLimitMb) is > 0 and var limit)
        {
            start.Environment["DOTNET_GCHeapHardLimit"] = ((long)limit * 1024 * 1024).ToString("X", CultureInfo.InvariantCulture);
        }

        if (processorCount is { } cores)
        {
            start.Environment["DOTNET_PROCESSOR_COUNT"] = cores.ToString(CultureInfo.InvariantCulture);
        }

        // Workstation, non-concurrent GC: one job at a time needs no background GC thread, and a small heap.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_gcConcurrent"] = "0";
        // A worker waits for its next message most of the time: its thread pool's threads spinning before they
        // sleep cost a Spark context ~40 % of its CPU per job (bench scenario 12), for no latency the job can use.
        // An operator's own value is kept.
        start.Environment.TryAdd("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit", "0");
        return start;
    }

    private static bool IsDaemonSetting(string name) =>
        name.StartsWith("JOBSERVER_", StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith("JobServer__", StringComparison.OrdinalIgnoreCase);

    /// <summary>The <c>dotnet</c> host of the runtime this daemon runs on (…/shared/Microsoft.NETCore.App/10.0.x/ → …/dotnet).</summary>
    private static string? DotnetHost()
    {
        var runtime = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar);
        var root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(runtime)));
        var host = root is null ? null : Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return host is not null && File.Exists(host) ? host : null;
    }
}
