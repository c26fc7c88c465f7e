using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.Spark.Binaries;

/// <summary>Refuses an upload with a bad name or an unknown type before its job exists (nothing is written).</summary>
internal sealed class SparkUploadValidator : ICallValidator
{
    public void Validate(ICallContext caller, IReadOnlyList<object?> arguments)
    {
        if (!SparkName.IsValid(arguments[0] as string))
        {
            throw new ValidationException("name",
                "A binary name is 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }

        if (SparkBinaryTypes.FromMediaType(arguments[1] as string) is null)
        {
            throw new ValidationException("content_type", $"Unsupported binary type {arguments[1]}");
        }
    }
}
