using Microsoft.Extensions.Logging.Console;

namespace JobServer.Workers.Host;

/// <summary>
/// What a service's constructor can be given in a worker: loggers (one line each on stderr, which the daemon logs
/// as the worker's) and the clock. Nothing of the daemon's: a process job reaches the daemon only through its
/// context's <c>CallAsync</c>, as its caller.
/// </summary>
internal static class WorkerServices
{
    public static ServiceProvider Create()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.ColorBehavior = LoggerColorBehavior.Disabled;
        }).AddFilter(level => level >= LogLevel.Information));
        services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        services.AddSingleton(TimeProvider.System);
        return services.BuildServiceProvider();
    }
}
