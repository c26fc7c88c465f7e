using JobServer.Sdk;
using JobServer.Sdk.Errors;
using Microsoft.Extensions.Options;

namespace JobServer.Services.Exec;

/// <summary>
/// Call-time checks of <c>exec.run</c>: an executable outside the allow-list, a missing working directory, a
/// timeout out of range or an environment variable that could run other code answer a validation error and
/// create no job. The job runs the same checks again when it starts (the working directory may vanish while it
/// waits).
/// </summary>
internal sealed class ExecRunValidator(IOptions<ExecOptions> settings) : ICallValidator
{
    private readonly ExecEnvironmentPolicy _environment = new(settings.Value.AllowedEnvironment);

    public void Validate(ICallContext caller, IReadOnlyList<object?> arguments) =>
        ExecutableFor((string)arguments[0]!, arguments[2] as ExecRunOptions ?? new ExecRunOptions());

    /// <summary>The allowed executable's absolute path, once every option passed.</summary>
    public string ExecutableFor(string command, ExecRunOptions run)
    {
        var executable = ExecutableResolver.ResolveAllowed(command, settings.Value.Allowed)
            ?? throw new ValidationException("exec_run.command", $"'{command}' is not an allowed executable");
        if (run.Cwd is not null && !Directory.Exists(run.Cwd))
        {
            throw new ValidationException("exec_run.options.cwd", $"'{run.Cwd}' is not a directory");
        }

        ExecTimeout.Check(run.TimeoutSeconds);
        _environment.Check(run.Env);
        return executable;
    }
}
