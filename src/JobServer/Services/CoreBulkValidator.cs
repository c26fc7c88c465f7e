using System.Globalization;
using System.Text.Json.Nodes;
using JobServer.Jobs;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using Microsoft.Extensions.Options;

namespace JobServer.Services;

/// <summary>
/// Bounds <c>core.bulk</c> at call time: at most <c>JobServer:Jobs:MaxBulkItems</c> parameter lists, and no
/// <c>core.bulk</c> inside a <c>core.bulk</c> — nesting multiplied one call into tens of thousands of stored jobs
/// (issue 12, item 12). A refused call creates no job.
/// </summary>
internal sealed class CoreBulkValidator(IOptions<JobsOptions> options) : ICallValidator
{
    public void Validate(ICallContext caller, IReadOnlyList<object?> arguments)
    {
        if (arguments[0] is "core.bulk")
        {
            throw new ValidationException("core_bulk.method", "core.bulk cannot call core.bulk", Errno.EINVAL);
        }

        var items = (arguments[1] as List<JsonArray>)?.Count ?? 0;
        var limit = options.Value.MaxBulkItems;
        if (items > limit)
        {
            throw new ValidationException("core_bulk.params_list", string.Create(CultureInfo.InvariantCulture,
                $"At most {limit} calls per core.bulk (JobServer:Jobs:MaxBulkItems), got {items}"), Errno.EINVAL);
        }
    }
}
