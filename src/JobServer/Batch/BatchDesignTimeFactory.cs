using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace JobServer.Batch;

/// <summary>Lets <c>dotnet ef migrations add … --context BatchDbContext</c> build the model.</summary>
internal sealed class BatchDesignTimeFactory : IDesignTimeDbContextFactory<BatchDbContext>
{
    public BatchDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BatchDbContext>()
            .UseSqlite("Data Source=design.db", o => o.MigrationsHistoryTable(BatchDbContext.MigrationsHistoryTable))
            .Options);
}
