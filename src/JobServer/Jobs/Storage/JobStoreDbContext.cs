using JobServer.Configuration;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Jobs.Storage;

/// <summary>
/// The jobs table, in the daemon's database but with its own context and migration history: jobs are
/// written by one group-commit writer (raw prepared commands) and read by <c>core.get_jobs</c> through EF. On
/// PostgreSQL the table also has the writing node's name and the id sequence (ids come from the database), and the
/// context has the cluster's membership (<c>cluster_nodes</c>, <c>Cluster/NodeMembership</c>).
/// </summary>
internal sealed class JobStoreDbContext(DbContextOptions<JobStoreDbContext> options) : DbContext(options)
{
    public const string MigrationsHistoryTable = "__JobsMigrationsHistory";

    public DbSet<JobRecord> Jobs => Set<JobRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<JobRecord>(job =>
        {
            job.ToTable("jobs", table => table.HasComment("One row per job; ids are never reused"));
            job.HasKey(j => j.Id);
            // AUTOINCREMENT keeps the high-water mark in sqlite_sequence, so ids are never reused even after
            // retention deletes the newest rows' predecessors or all rows.
            job.Property(j => j.Id).ValueGeneratedNever().HasAnnotation("Sqlite:Autoincrement", true);
            job.HasIndex(j => j.State);
            job.HasIndex(j => j.Username);
            job.HasIndex(j => j.TimeFinished);
            if (Database.IsNpgsql())
            {
                // The node that last wrote the row (the one running the job): what part 2's recovery keys on.
                job.Property<string>(PostgresJobSink.NodeColumn).HasMaxLength(ClusterOptions.MaxNodeNameLength);
                // The transaction that last wrote the row: the other nodes catch up on changes from it (null
                // before the column existed; every write sets it).
                job.Property<long?>(PostgresJobSink.ChangeXidColumn);
                job.HasIndex(PostgresJobSink.ChangeXidColumn);
            }
        });
        if (Database.IsNpgsql())
        {
            modelBuilder.HasSequence<long>(PostgresJobIds.Sequence).StartsAt(1);
            modelBuilder.Entity<ClusterNodeRecord>(node =>
            {
                node.ToTable("cluster_nodes", table => table.HasComment(
                    "The daemons sharing this database: epoch (fencing token), state, last heartbeat (database clock)"));
                node.HasKey(n => n.Name);
                node.Property(n => n.Name).HasMaxLength(ClusterOptions.MaxNodeNameLength);
                node.Property(n => n.Instance).HasMaxLength(64);
                node.Property(n => n.State).HasMaxLength(16);
            });
        }
    }
}
