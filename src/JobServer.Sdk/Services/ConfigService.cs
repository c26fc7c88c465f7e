using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Sdk.Errors;

namespace JobServer.Sdk;

/// <summary>
/// A service that represents one configuration entity: <c>config</c> returns it and <c>update</c> changes some of
/// its fields (the fields not given keep their values).
/// </summary>
/// <typeparam name="TConfig">The configuration record; its properties are the wire fields in snake_case.</typeparam>
public abstract class ConfigService<TConfig> : Service where TConfig : class
{
    /// <summary>Returns the configuration.</summary>
    public virtual ValueTask<TConfig> Config(CancellationToken cancellationToken = default) =>
        LoadAsync(cancellationToken);

    /// <summary>Changes the given fields of the configuration and returns the result.</summary>
    public virtual async ValueTask<TConfig> Update(JsonObject data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var current = await LoadAsync(cancellationToken);
        var merged = JsonSerializer.SerializeToNode(current, WireJson.Options)!.AsObject();
        var errors = new List<ValidationError>();
        foreach (var (key, value) in data)
        {
            if (!merged.ContainsKey(key))
            {
                errors.Add(new ValidationError($"{AttributePrefix}_update.{key}", "Field was not expected"));
                continue;
            }

            merged[key] = value?.DeepClone();
        }

        if (errors.Count > 0)
        {
            throw new ValidationException(errors);
        }

        TConfig updated;
        try
        {
            updated = merged.Deserialize<TConfig>(WireJson.Options)
                      ?? throw new ValidationException($"{AttributePrefix}_update", "A configuration is required");
        }
        catch (JsonException e)
        {
            throw new ValidationException($"{AttributePrefix}_update{TrimPath(e.Path)}", e.Message);
        }

        Validate(updated, errors);
        if (errors.Count > 0)
        {
            throw new ValidationException(errors);
        }

        await SaveAsync(updated, cancellationToken);
        return updated;
    }

    /// <summary>Reads the stored configuration (or its defaults).</summary>
    protected abstract ValueTask<TConfig> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Stores a validated configuration and applies it.</summary>
    protected abstract ValueTask SaveAsync(TConfig config, CancellationToken cancellationToken);

    /// <summary>Adds an error for every invalid field of a configuration about to be saved.</summary>
    protected virtual void Validate(TConfig config, List<ValidationError> errors)
    {
    }

    /// <summary>Attribute names use the namespace with dots as underscores (<c>system_general_update.x</c>), as
    /// argument errors do.</summary>
    private string AttributePrefix => Namespace.Replace('.', '_');

    private static string TrimPath(string? path) => string.IsNullOrEmpty(path) ? "" : path.TrimStart('$');
}
