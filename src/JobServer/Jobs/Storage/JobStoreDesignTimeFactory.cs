using JobServer.Storage.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace JobServer.Jobs.Storage;

/// <summary>
/// Lets <c>dotnet ef migrations add … --context JobStoreDbContext</c> build the model; append
/// <c>-- --provider PostgreSql</c> (and <c>--output-dir Jobs/Storage/Migrations/PostgreSql</c>) for the PostgreSQL set.
/// </summary>
internal sealed class JobStoreDesignTimeFactory : IDesignTimeDbContextFactory<JobStoreDbContext>
{
    public JobStoreDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<JobStoreDbContext>();
        JobServerDatabase.ForDesignTime(args).Configure(builder, JobStoreDbContext.MigrationsHistoryTable);
        return new JobStoreDbContext(builder.Options);
    }
}
