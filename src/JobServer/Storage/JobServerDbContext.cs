using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace JobServer.Storage;

/// <summary>The daemon's database: accounts, API keys, settings and the audit log.</summary>
internal sealed class JobServerDbContext(DbContextOptions<JobServerDbContext> options) : DbContext(options)
{
    public DbSet<UserAccount> Users => Set<UserAccount>();

    public DbSet<Setting> Settings => Set<Setting>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<AuditRecord> Audit => Set<AuditRecord>();

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
        modelBuilder.Entity<ApiKey>(key =>
        {
            key.ToTable("api_keys");
            key.HasKey(k => k.Id);
            key.HasIndex(k => k.Username);
            key.Property(k => k.Name).HasMaxLength(200);
            key.Property(k => k.Username).HasMaxLength(64);
            key.Property(k => k.CreatedAt).HasConversion(EpochMilliseconds);
            key.Property(k => k.ExpiresAt).HasConversion(EpochMilliseconds);
        });
        modelBuilder.Entity<AuditRecord>(audit =>
        {
            audit.ToTable("audit");
            audit.HasKey(a => a.Id);
            audit.HasIndex(a => a.Time); // retention deletes by time
            audit.Property(a => a.Time).HasConversion(EpochMilliseconds);
        });
        if (Database.IsNpgsql())
        {
            // One daemon keeps tokens in memory (Auth/TokenStore); the nodes of a cluster share them here.
            modelBuilder.Entity<SharedToken>(token =>
            {
                token.ToTable("auth_tokens", table => table.HasComment(
                    "Tokens valid on every node, by SHA-256 hash; expiry on the database clock"));
                token.HasKey(t => t.Hash);
                token.Property(t => t.Hash).HasMaxLength(64);
                token.Property(t => t.Username).HasMaxLength(64);
                token.Property(t => t.Attributes).HasColumnType("jsonb");
                token.Property(t => t.CreatorSession).HasMaxLength(64);
                token.Property(t => t.Origin).HasMaxLength(64);
                token.Property(t => t.LastUsedAt).HasColumnType("timestamp with time zone");
                token.HasIndex(t => t.Username);
                token.HasIndex(t => t.CreatorSession);
            });
        }
    }

    /// <summary>
    /// SQLite has no instant type; epoch milliseconds keep instants sortable and comparable in SQL, which
    /// query filters on dates need.
    /// </summary>
    internal static readonly ValueConverter<DateTimeOffset, long> EpochMilliseconds = new(
        value => value.ToUnixTimeMilliseconds(),
        value => DateTimeOffset.FromUnixTimeMilliseconds(value));
}
