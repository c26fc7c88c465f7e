using Microsoft.EntityFrameworkCore;

namespace JobServer.Spark.Storage;

/// <summary>
/// The Spark dialect's own tables, with their own migration history, so they never collide with the accounts or
/// jobs schemas (and a PostgreSQL migration set can be added beside the SQLite one). The model uses only portable
/// types: integers, text, no SQLite-only SQL.
/// </summary>
internal sealed class SparkDbContext(DbContextOptions<SparkDbContext> options) : DbContext(options)
{
    public const string MigrationsHistoryTable = "__SparkMigrationsHistory";

    public DbSet<SparkBinaryRecord> Binaries => Set<SparkBinaryRecord>();

    public DbSet<SparkCallbackRecord> Callbacks => Set<SparkCallbackRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SparkBinaryRecord>(binary =>
        {
            binary.ToTable("spark_binaries");
            binary.HasKey(b => b.Id);
            binary.Property(b => b.Name).HasMaxLength(SparkName.MaxLength);
            binary.Property(b => b.BinaryType).HasMaxLength(16);
            binary.Property(b => b.FileName).HasMaxLength(64);
            binary.HasIndex(b => b.Name);
        });
        modelBuilder.Entity<SparkCallbackRecord>(callback =>
        {
            callback.ToTable("spark_callbacks");
            callback.HasKey(c => c.JobId);
            callback.Property(c => c.JobId).ValueGeneratedNever();
            callback.Property(c => c.Url).HasMaxLength(SparkCallbackRecordLimits.MaxUrlLength);
            callback.Property(c => c.LastError).HasMaxLength(SparkCallbackRecordLimits.MaxErrorLength);
            callback.HasIndex(c => c.Done);
        });
    }
}
