using JobServer.Storage.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace JobServer.Storage;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without starting the daemon; append
/// <c>-- --provider PostgreSql</c> (and <c>--output-dir Storage/Migrations/PostgreSql</c>) for the PostgreSQL set.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<JobServerDbContext>
{
    public JobServerDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<JobServerDbContext>();
        JobServerDatabase.ForDesignTime(args).Configure(builder);
        return new JobServerDbContext(builder.Options);
    }
}
