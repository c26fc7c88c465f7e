using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace JobServer.Spark.Storage;

/// <summary>Lets <c>dotnet ef migrations add … --context SparkDbContext</c> build the model.</summary>
internal sealed class SparkDesignTimeFactory : IDesignTimeDbContextFactory<SparkDbContext>
{
    public SparkDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SparkDbContext>()
            .UseSqlite("Data Source=design.db", o => o.MigrationsHistoryTable(SparkDbContext.MigrationsHistoryTable))
            .Options);
}
