using Microsoft.EntityFrameworkCore;

namespace JobServer.Batch;

/// <summary>
/// The batch jobs and their tasks, with their own migration history: on SQLite in their own database file
/// (<c>batch.db</c>), so the task writes of a large fan-out never wait on the job store's writer; on PostgreSQL in
/// the shared database (migrations in <c>Migrations/PostgreSql</c>, identity columns for the ids).
/// </summary>
internal sealed class BatchDbContext(DbContextOptions<BatchDbContext> options) : DbContext(options)
{
    public const string MigrationsHistoryTable = "__BatchMigrationsHistory";

    public DbSet<BatchJobRecord> Jobs => Set<BatchJobRecord>();

    public DbSet<BatchTaskRecord> Tasks => Set<BatchTaskRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<BatchJobRecord>(job =>
        {
            job.ToTable("batch_jobs");
            job.HasKey(j => j.Id);
            // AUTOINCREMENT: ids never come back after a delete (the seed's ids are only ever handed out once).
            job.Property(j => j.Id).HasAnnotation("Sqlite:Autoincrement", true);
            job.Property(j => j.Owner).HasMaxLength(200);
            job.Property(j => j.Status).HasMaxLength(20);
            job.HasIndex(j => j.Status);
            job.HasIndex(j => j.Owner);
            job.HasMany(j => j.Tasks).WithOne(t => t.Job).HasForeignKey(t => t.JobId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<BatchTaskRecord>(task =>
        {
            task.ToTable("batch_tasks");
            task.HasKey(t => t.Id);
            task.Property(t => t.Id).HasAnnotation("Sqlite:Autoincrement", true);
            task.Property(t => t.Method).HasMaxLength(10);
            task.Property(t => t.Destination).HasMaxLength(200);
            task.Property(t => t.Status).HasMaxLength(20);
            task.HasIndex(t => t.JobId);
            task.HasIndex(t => new { t.Destination, t.Status });
        });
    }
}
