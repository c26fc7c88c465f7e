using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace JobServer.Jobs.Storage;

/// <summary>Lets <c>dotnet ef migrations add … --context JobStoreDbContext</c> build the model.</summary>
internal sealed class JobStoreDesignTimeFactory : IDesignTimeDbContextFactory<JobStoreDbContext>
{
    public JobStoreDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<JobStoreDbContext>()
            .UseSqlite("Data Source=design.db", o => o.MigrationsHistoryTable(JobStoreDbContext.MigrationsHistoryTable))
            .Options);
}
