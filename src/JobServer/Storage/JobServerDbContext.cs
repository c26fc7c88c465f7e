using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace JobServer.Storage;

/// <summary>The daemon's database: accounts, settings (and, with later issues, jobs and tokens).</summary>
internal sealed class JobServerDbContext(DbContextOptions<JobServerDbContext> options) : DbContext(options)
{
    public DbSet<UserAccount> Users => Set<UserAccount>();

    public DbSet<Setting> Settings => Set<Setting>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserAccount>(user =>
        {
            user.ToTable("users");
            user.HasKey(u => u.Id);
            user.HasIndex(u => u.Username).IsUnique();
            user.Property(u => u.Username).HasMaxLength(64);
            user.Property(u => u.CreatedAt).HasConversion(EpochMilliseconds);
            user.Ignore(u => u.RoleSet);
        });
        modelBuilder.Entity<Setting>(setting =>
        {
            setting.ToTable("settings");
            setting.HasKey(s => s.Key);
        });
    }

    /// <summary>
    /// SQLite has no instant type; epoch milliseconds keep instants sortable and comparable in SQL, which
    /// query filters on dates need.
    /// </summary>
    internal static readonly ValueConverter<DateTimeOffset, long> EpochMilliseconds = new(
        value => value.ToUnixTimeMilliseconds(),
        value => DateTimeOffset.FromUnixTimeMilliseconds(value));
}
