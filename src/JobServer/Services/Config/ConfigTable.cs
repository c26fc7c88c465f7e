using JobServer.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace JobServer.Services.Config;

/// <summary>
/// A table that is part of the configuration (restored by <c>config.upload</c>) with its columns as the current EF
/// model maps them. Imports name every column, so a table whose columns were created in another order (an older
/// schema migrated forward appends columns) still lines up.
/// </summary>
internal sealed record ConfigTable(string Name, IReadOnlyList<string> Columns)
{
    /// <summary>
    /// Accounts, API keys and settings. Not <c>jobs</c>: the running job engine owns that table (and the upload job
    /// itself is a row of it), so replacing it underneath would corrupt the engine's state.
    /// </summary>
    public static IReadOnlyList<ConfigTable> From(IModel model) =>
        [Of<UserAccount>(model), Of<ApiKey>(model), Of<Setting>(model)];

    private static ConfigTable Of<TEntity>(IModel model)
    {
        var name = model.FindEntityType(typeof(TEntity))?.GetTableName()
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not mapped to a table");
        var table = model.GetRelationalModel().FindTable(name, schema: null)
            ?? throw new InvalidOperationException($"The table {name} is not in the relational model");
        return new ConfigTable(name, table.Columns.Select(c => c.Name).ToArray());
    }
}
