using JobServer.Lifecycle;
using JobServer.Jobs;
using Microsoft.Extensions.Options;

namespace JobServer.Hosting;

/// <summary>Registers the graceful stop: its signal, its hosted service, its setting and the host's timeout.</summary>
internal static class GracefulStopServiceCollectionExtensions
{
    public static IServiceCollection AddGracefulStop(this IServiceCollection services)
    {
        services.AddOptions<JobsOptions>()
            .Validate(o => o.ShutdownGraceSeconds >= 0, "JobServer:Jobs:ShutdownGraceSeconds must not be negative")
            .ValidateOnStart();
        // The host's default (30 s) would cut a longer grace short, and then drop the sockets without a close frame.
        services.AddOptions<HostOptions>().Configure<IOptions<JobsOptions>>((host, jobs) =>
            host.ShutdownTimeout = GracefulStop.ShutdownTimeout(jobs.Value));
        services.AddSingleton<StopSignal>();
        services.AddHostedService<GracefulStop>();
        return services;
    }
}
