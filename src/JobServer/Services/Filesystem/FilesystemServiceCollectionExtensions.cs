namespace JobServer.Services.Filesystem;

/// <summary>Registers the <c>filesystem</c> service's settings and its path guard.</summary>
internal static class FilesystemServiceCollectionExtensions
{
    public static IServiceCollection AddFilesystem(this IServiceCollection services)
    {
        services.AddOptions<FilesystemOptions>().BindConfiguration(FilesystemOptions.Section)
            .Validate(o => o.Roots.TrueForAll(r => !string.IsNullOrWhiteSpace(r) && Path.IsPathFullyQualified(r)),
                "JobServer:Filesystem:Roots must be absolute directories")
            .ValidateOnStart();
        services.AddSingleton<FilesystemRoots>();
        return services;
    }
}
