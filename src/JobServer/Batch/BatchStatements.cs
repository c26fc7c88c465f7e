using System.Data.Common;

namespace JobServer.Batch;

/// <summary>
/// The writer's statements for one transaction, each prepared once and run per row. Plain SQL with quoted
/// identifiers and <c>@</c> parameters, which SQLite and PostgreSQL both take.
/// </summary>
internal sealed class BatchStatements(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
{
    private DbCommand? _insertJob;
    private DbCommand? _insertTask;
    private DbCommand? _task;
    private DbCommand? _job;
    private DbCommand? _deleteTasks;
    private DbCommand? _deleteJob;

    /// <summary>Inserts the job and its tasks, setting their ids from the database (RETURNING, in SQLite and PostgreSQL).</summary>
    public async Task InsertJobAsync(BatchJobRecord job)
    {
        _insertJob ??= Prepare("""INSERT INTO batch_jobs ("Owner", "CreatedAt", "FinishAt", "Timeout", "Status", "TotalCount", "FinishCount", "ErrorCount") VALUES (@owner, @createdAt, @finishAt, @timeout, @status, @totalCount, @finishCount, @errorCount) RETURNING "Id" """,
            "owner", "createdAt", "finishAt", "timeout", "status", "totalCount", "finishCount", "errorCount");
        _insertTask ??= Prepare("""INSERT INTO batch_tasks ("JobId", "Method", "Resource", "Data", "Destination", "CreatedAt", "FinishAt", "Timeout", "Status", "Progress", "Result") VALUES (@jobId, @method, @resource, @data, @destination, @createdAt, @finishAt, @timeout, @status, @progress, @result) RETURNING "Id" """,
            "jobId", "method", "resource", "data", "destination", "createdAt", "finishAt", "timeout", "status", "progress", "result");
        job.Id = await ScalarAsync(_insertJob, job.Owner, job.CreatedAt, job.FinishAt, job.Timeout, job.Status, job.TotalCount,
            job.FinishCount, job.ErrorCount);
        foreach (var task in job.Tasks)
        {
            task.JobId = job.Id;
            task.Id = await ScalarAsync(_insertTask, task.JobId, task.Method, task.Resource, task.Data, task.Destination,
                task.CreatedAt, task.FinishAt, task.Timeout, task.Status, task.Progress, task.Result);
        }
    }

    public Task UpdateTaskAsync(BatchTaskRow row)
    {
        _task ??= Prepare("""UPDATE batch_tasks SET "Status" = @status, "Progress" = @progress, "FinishAt" = @finishAt, "Result" = @result WHERE "Id" = @id""",
            "status", "progress", "finishAt", "result", "id");
        return RunAsync(_task, row.Status, row.Progress, row.FinishAt, row.Result, row.Id);
    }

    public Task UpdateJobAsync(BatchJobRow row)
    {
        _job ??= Prepare("""UPDATE batch_jobs SET "Status" = @status, "FinishCount" = @finishCount, "ErrorCount" = @errorCount, "FinishAt" = @finishAt WHERE "Id" = @id""",
            "status", "finishCount", "errorCount", "finishAt", "id");
        return RunAsync(_job, row.Status, row.FinishCount, row.ErrorCount, row.FinishAt, row.Id);
    }

    public async Task DeleteJobAsync(long id)
    {
        _deleteTasks ??= Prepare("""DELETE FROM batch_tasks WHERE "JobId" = @id""", "id");
        _deleteJob ??= Prepare("""DELETE FROM batch_jobs WHERE "Id" = @id""", "id");
        await RunAsync(_deleteTasks, id);
        await RunAsync(_deleteJob, id);
    }

    private DbCommand Prepare(string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static async Task RunAsync(DbCommand command, params object?[] values)
    {
        Bind(command, values);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(DbCommand command, params object?[] values)
    {
        Bind(command, values);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Bind(DbCommand command, object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in new[] { _insertJob, _insertTask, _task, _job, _deleteTasks, _deleteJob })
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }
    }
}
