using JobServer.Storage.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace JobServer.Spark.Storage;

/// <summary>
/// Lets <c>dotnet ef migrations add … --context SparkDbContext</c> build the model; append
/// <c>-- --provider PostgreSql</c> (and <c>--output-dir Spark/Storage/Migrations/PostgreSql</c>) for the PostgreSQL set.
/// </summary>
internal sealed class SparkDesignTimeFactory : IDesignTimeDbContextFactory<SparkDbContext>
{
    public SparkDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SparkDbContext>();
        JobServerDatabase.ForDesignTime(args).Configure(builder, SparkDbContext.MigrationsHistoryTable);
        return new SparkDbContext(builder.Options);
    }
}
