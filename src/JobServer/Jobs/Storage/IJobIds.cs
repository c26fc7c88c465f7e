namespace JobServer.Jobs.Storage;

/// <summary>
/// Where a job store's ids come from: from 1, never repeated, also across restarts and after retention deleted the
/// newest rows (<see cref="IJobStore.NextIdAsync"/>).
/// </summary>
internal interface IJobIds
{
    /// <summary>Reads what is needed after the schema is migrated; returns the highest id known to be taken.</summary>
    Task<long> OpenAsync(CancellationToken cancellationToken);

    ValueTask<long> NextAsync(CancellationToken cancellationToken);
}
