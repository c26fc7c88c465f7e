using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Internal;

namespace JobServer.Storage.Providers;

/// <summary>
/// Lets one assembly hold a migration set per provider for the same context: PostgreSQL's live in a namespace
/// ending in <c>.PostgreSql</c> (<c>Migrations/PostgreSql/</c> beside the SQLite ones), SQLite's in any other.
/// EF's own lookup would take both sets (it matches migrations by context type only); the alternative, one
/// migrations assembly per provider, would add two projects for every context.
/// </summary>
#pragma warning disable EF1001 // MigrationsAssembly is EF's internal default; only its lookup is narrowed here.
internal sealed class ProviderMigrationsAssembly(
    ICurrentDbContext currentContext,
    IDbContextOptions options,
    IMigrationsIdGenerator idGenerator,
    IDiagnosticsLogger<DbLoggerCategory.Migrations> logger)
    : MigrationsAssembly(currentContext, options, idGenerator, logger)
{
    public const string PostgreSqlNamespaceSuffix = ".PostgreSql";

    private readonly bool _postgres = currentContext.Context.Database.IsNpgsql();
    private readonly Type _contextType = currentContext.Context.GetType();
    private IReadOnlyDictionary<string, TypeInfo>? _migrations;
    private ModelSnapshot? _snapshot;
    private bool _snapshotFound;

    public override IReadOnlyDictionary<string, TypeInfo> Migrations =>
        _migrations ??= base.Migrations.Where(m => IsOurs(m.Value))
            .ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);

    public override ModelSnapshot? ModelSnapshot
    {
        get
        {
            if (!_snapshotFound)
            {
                var type = Assembly.DefinedTypes.FirstOrDefault(t =>
                    !t.IsAbstract && t.IsSubclassOf(typeof(ModelSnapshot)) && IsOurs(t) &&
                    t.GetCustomAttribute<DbContextAttribute>()?.ContextType == _contextType);
                _snapshot = type is null ? null : (ModelSnapshot)Activator.CreateInstance(type.AsType())!;
                _snapshotFound = true;
            }

            return _snapshot;
        }
    }

    private bool IsOurs(Type type) =>
        (type.Namespace ?? "").EndsWith(PostgreSqlNamespaceSuffix, StringComparison.Ordinal) == _postgres;
}
#pragma warning restore EF1001
