using JobServer.Auth;
using JobServer.Configuration;
using JobServer.Dispatch;
using JobServer.Events;
using JobServer.Protocol.Ddp;
using JobServer.Protocol.JsonRpc;
using JobServer.Protocol.WebSockets;
using JobServer.Registry;
using JobServer.Services.Config;
using JobServer.Services.Filesystem;
using JobServer.Sessions;
using JobServer.Storage;
using JobServer.Storage.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Core;

namespace JobServer.Hosting;

/// <summary>Composes the daemon: configuration, logging, storage, registry, protocols and endpoints.</summary>
internal static class JobServerHost
{
    public const string DefaultUrl = "http://127.0.0.1:8090";

    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--data-dir"] = "JobServer:DataDir",
        ["--plugin-dir"] = "JobServer:PluginDirectory",
    };

    /// <summary>Builds the daemon and prepares its data directory and database; the caller starts it.</summary>
    public static Task<WebApplication> CreateAsync(string[] args, CancellationToken cancellationToken = default) =>
        CreateAsync(args, overrideServices: null, cancellationToken);

    /// <summary>As <see cref="CreateAsync(string[], CancellationToken)"/>; <paramref name="overrideServices"/>
    /// replaces registrations after the daemon's own (tests: a fake clock).</summary>
    /// <exception cref="DataDirectoryInUseException">Another daemon holds the data directory.</exception>
    public static async Task<WebApplication> CreateAsync(
        string[] args, Action<IServiceCollection>? overrideServices, CancellationToken cancellationToken = default)
    {
        var builder = CreateBuilder(args);
        // First of all: nothing may touch the data directory (migrations, root seeding, job recovery) unless this
        // daemon holds its lock.
        var dataDirectoryLock = DataDirectory.Open(DataDirOf(builder.Configuration));
        WebApplication app;
        try
        {
            // Made by a factory, so the container owns it and releases it when the daemon is disposed.
            builder.Services.AddSingleton(_ => dataDirectoryLock);
            overrideServices?.Invoke(builder.Services);
            app = builder.Build();
            app.Services.GetRequiredService<DataDirectoryLock>();
        }
        catch
        {
            dataDirectoryLock.Dispose();
            throw;
        }

        try
        {
            await InitializeAsync(app.Services, cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        app.MapJobServer();
        return app;
    }

    /// <summary>The daemon's configuration (files, environment, command line), logging and services, not built:
    /// shared by the daemon and its host-side verbs (<see cref="PasswordResetCommand"/>).</summary>
    internal static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddCommandLine(args, SwitchMappings);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.AddBatchListeners(DefaultUrl);
        builder.AddUnixSocket(DefaultUrl);

        builder.Services.AddSerilog((services, logger) =>
            ConfigureLogging(logger, builder.Configuration, services.GetRequiredService<LoggingLevelSwitch>()));
        builder.Services.AddJobServer(builder.Configuration);
        return builder;
    }

    /// <summary>The full path of the data directory the configuration names (<c>--data-dir</c>, <c>JobServer:DataDir</c>).</summary>
    internal static string DataDirOf(IConfiguration configuration)
    {
        var options = configuration.GetSection(JobServerOptions.Section).Get<JobServerOptions>() ?? new JobServerOptions();
        return string.IsNullOrWhiteSpace(options.DataDir)
            ? throw new InvalidOperationException("JobServer:DataDir must be set")
            : options.DataPath();
    }

    /// <summary>
    /// Console logging: readable lines by default, one compact JSON object per event with
    /// <c>JobServer:LogFormat=json</c> (for log shippers). Levels come from the <c>Serilog</c> section.
    /// </summary>
    private static void ConfigureLogging(
        LoggerConfiguration logger, IConfiguration configuration, LoggingLevelSwitch levelSwitch)
    {
        // The switch starts at the configured level; system.general moves it at run time.
        logger.ReadFrom.Configuration(configuration).MinimumLevel.ControlledBy(levelSwitch).Enrich.FromLogContext();
        if (string.Equals(configuration["JobServer:LogFormat"], "json", StringComparison.OrdinalIgnoreCase))
        {
            logger.WriteTo.Console(new Serilog.Formatting.Compact.CompactJsonFormatter());
        }
        else
        {
            logger.WriteTo.Console(
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        }
    }

    private static void AddJobServer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobServerOptions>().BindConfiguration(JobServerOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDir), "JobServer:DataDir must be set").ValidateOnStart();
        services.AddOptions<WebSocketLimits>().BindConfiguration(WebSocketLimits.Section)
            .Validate(o => o.AnonymousMessageBytes > 0 && o.AuthenticatedMessageBytes >= o.AnonymousMessageBytes &&
                           o.MaxConcurrentCalls > 0 && o.OutboundQueueMessages > 0,
                "JobServer:WebSocket limits must be positive, the authenticated one at least the anonymous one")
            .ValidateOnStart();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section)
            .Validate(o => o.IsValid,
                "JobServer:Auth settings are out of range (PasswordIterations at least 1000, failures before back-off " +
                "and FirstBackoffSeconds at least 1, LockoutSeconds at least FirstBackoffSeconds, none negative)")
            .ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddDatabase(configuration);
        services.AddJobServerDbContext<JobServerDbContext>();
        services.AddSingleton<AccountStore>();
        services.AddSingleton(new OperatorConsole(Console.Out));
        services.AddSingleton<RootAccountSeeder>();
        services.AddAccounts(configuration);
        services.AddSingleton<EventHub>();
        services.AddSingleton<SessionRegistry>();
        services.AddSingleton(ServiceCatalogBuilder.Build);
        services.AddSingleton(provider => new Lazy<MethodRegistry>(provider.GetRequiredService<MethodRegistry>));
        services.AddSingleton<Dispatcher>();
        services.AddSingleton(provider => new Lazy<Dispatcher>(provider.GetRequiredService<Dispatcher>));
        services.AddSingleton<Jobs.IJobCalls, JobCalls>();
        services.AddJobs();
        services.AddWorkers();
        services.AddGracefulStop();
        services.AddFilesystem();
        services.AddTransfers();
        services.AddRestMirror();
        services.AddSpark();
        services.AddBatch();
        services.AddConfigBackup();
        services.AddOriginCheck();
        services.AddHealth();
        services.AddPrometheusMetrics(configuration);
        services.AddAudit();
        services.AddSingleton<WebSocketAcceptor>();
        services.AddSingleton<Protocol.Inbound.RefusedMessageLog>();
        services.AddSingleton<DdpEndpoint>();
        services.AddSingleton<JsonRpcEndpoint>();
    }

    private static async Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<JobServerOptions>>().Value;
        var loggers = services.GetRequiredService<ILoggerFactory>();
        DataDirectory.Tighten(options.DataPath(), loggers.CreateLogger(typeof(DataDirectory)));
        Directory.CreateDirectory(options.DataPath("plugins"));
        await DatabaseInitializer.MigrateAsync(
            services.GetRequiredService<IDbContextFactory<JobServerDbContext>>(), cancellationToken);
        var configuration = services.GetRequiredService<IConfiguration>();
        await services.GetRequiredService<RootAccountSeeder>()
            .SeedAsync(configuration[RootAccountSeeder.PasswordVariable], cancellationToken);
        EventCatalog.RegisterAll(services.GetRequiredService<EventHub>(), services.GetRequiredService<MethodRegistry>());
        await services.MigrateSparkAsync(cancellationToken);
        await services.StartJobsAsync(cancellationToken);
        await services.StartBatchAsync(cancellationToken);
    }

    private static void MapJobServer(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options => options.GetLevel = RequestLogLevel.Of);
        FrameBatchingUpgrade.Install(app);
        app.UseWebSockets();
        app.UseStopRefusal();
        var ddp = app.Services.GetRequiredService<DdpEndpoint>();
        // Map, not MapGet: HTTP/2 WebSockets arrive as CONNECT requests.
        app.Map("/websocket", ddp.HandleAsync);
        app.MapJsonRpc();
        app.MapTransfers();
        app.MapRestMirror();
        app.MapSpark();
        app.MapBatch();
        app.MapHealth();
        app.MapPrometheusMetrics();
        app.MapGet("/", () => Results.Json(new { name = "JobServer", version = DaemonVersion.Current, websocket = "/websocket" }));
    }
}
