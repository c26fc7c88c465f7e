using JobServer.Storage.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace JobServer.Batch;

/// <summary>
/// Lets <c>dotnet ef migrations add … --context BatchDbContext</c> build the model; append
/// <c>-- --provider PostgreSql</c> (and <c>--output-dir Batch/Migrations/PostgreSql</c>) for the PostgreSQL set.
/// </summary>
internal sealed class BatchDesignTimeFactory : IDesignTimeDbContextFactory<BatchDbContext>
{
    public BatchDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<BatchDbContext>();
        JobServerDatabase.ForDesignTime(args).Configure(builder, BatchDbContext.MigrationsHistoryTable);
        return new BatchDbContext(builder.Options);
    }
}
