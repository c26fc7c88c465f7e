using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace JobServer.Storage;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the daemon.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<JobServerDbContext>
{
    public JobServerDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<JobServerDbContext>().UseSqlite("Data Source=design.db").Options);
}
