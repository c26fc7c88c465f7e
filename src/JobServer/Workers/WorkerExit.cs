using System.Globalization;

namespace JobServer.Workers;

/// <summary>Says how a worker process ended, in words an operator can act on.</summary>
internal static class WorkerExit
{
    /// <summary>"exit code 3", "signal 6 (SIGABRT)": on Linux .NET reports a death by signal N as exit code 128 + N.</summary>
    public static string Describe(int exitCode)
    {
        if (!OperatingSystem.IsWindows() && exitCode is > 128 and < 128 + 65)
        {
            var signal = exitCode - 128;
            return string.Create(CultureInfo.InvariantCulture, $"it was killed by signal {signal} ({SignalName(signal)})");
        }

        return exitCode == Host.WorkerLoop.OutOfMemoryExitCode
            ? "it ran out of memory"
            : string.Create(CultureInfo.InvariantCulture, $"it exited with code {exitCode}");
    }

    private static string SignalName(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        4 => "SIGILL",
        6 => "SIGABRT: a crash, Environment.FailFast or a stack overflow",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        15 => "SIGTERM",
        _ => "SIG" + signal.ToString(CultureInfo.InvariantCulture),
    };
}
