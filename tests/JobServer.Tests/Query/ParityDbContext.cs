using Microsoft.EntityFrameworkCore;

namespace JobServer.Tests.Query;

/// <summary>A SQLite database holding <see cref="ParityEntity"/> rows, to check the push-down against real SQL.</summary>
public sealed class ParityDbContext(DbContextOptions<ParityDbContext> options) : DbContext(options)
{
    public DbSet<ParityEntity> Entities => Set<ParityEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<ParityEntity>().Property(e => e.Id).ValueGeneratedNever();
}
