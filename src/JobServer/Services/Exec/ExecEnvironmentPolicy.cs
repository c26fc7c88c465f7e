using JobServer.Sdk.Errors;

namespace JobServer.Services.Exec;

/// <summary>
/// Which variables <c>options.env</c> of <c>exec.run</c> may set. The allow-list of executables means little if a
/// caller can make an allowed one run other code: <c>LD_PRELOAD</c> loads a library into it, <c>PYTHONSTARTUP</c>
/// or <c>BASH_ENV</c> run a script before it, <c>PATH</c> changes what a script's commands are (issue 12, item 7).
/// </summary>
/// <remarks>
/// Without <see cref="ExecOptions.AllowedEnvironment"/> every name may be set except <see cref="Denied"/>. With it,
/// only the names it lists may be set (the administrator's explicit choice, deny list included). Names are compared
/// ignoring case, which refuses a little more than the loader would read and never less.
/// </remarks>
internal sealed class ExecEnvironmentPolicy(IReadOnlyList<string> allowed)
{
    /// <summary>
    /// Loader and interpreter variables that make a program load or run code it was not given: glibc's own list of
    /// variables it drops for setuid programs (<c>unsecvars.h</c>), the dynamic loaders of Linux and macOS, the
    /// start-up hooks of the common interpreters and runtimes, and the shell's start-up and parsing variables.
    /// A trailing <c>*</c> is a prefix.
    /// </summary>
    public static readonly IReadOnlyList<string> Denied =
    [
        "LD_*", "DYLD_*", "GCONV_PATH", "GETCONF_DIR", "GLIBC_TUNABLES", "HOSTALIASES", "LOCALDOMAIN", "LOCPATH",
        "MALLOC_TRACE", "NIS_PATH", "NLSPATH", "RESOLV_HOST_CONF", "RES_OPTIONS", "TZDIR",
        "PATH", "IFS", "ENV", "BASH_ENV", "BASH_FUNC_*", "SHELLOPTS", "BASHOPTS", "PS4", "PROMPT_COMMAND",
        "PYTHON*", "PERL5*", "PERLLIB", "PERL_*", "RUBY*", "NODE_OPTIONS", "NODE_PATH", "LUA_*",
        "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH",
        "DOTNET_*", "COREHOST_*", "CORECLR_*", "COMPLUS_*",
    ];

    private const string Attribute = "exec_run.options.env";

    /// <summary>Throws a validation error naming every variable that may not be set (EINVAL, one entry per variable).</summary>
    public void Check(IReadOnlyDictionary<string, string>? environment)
    {
        if (environment is null)
        {
            return;
        }

        var errors = new List<ValidationError>();
        foreach (var (name, value) in environment)
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) ||
                name.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add(new ValidationError(Attribute, $"'{name}' is not a valid variable name", Errno.EINVAL));
            }
            else if (value.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add(new ValidationError(
                    $"{Attribute}.{name}", "A value may not contain a NUL character", Errno.EINVAL));
            }
            else if (allowed.Count > 0 ? !Matches(name, allowed) : Matches(name, Denied))
            {
                errors.Add(new ValidationError($"{Attribute}.{name}", allowed.Count > 0
                    ? $"{name} is not in JobServer:Exec:AllowedEnvironment"
                    : $"{name} may not be set: it can make the executable load or run other code", Errno.EINVAL));
            }
        }

        ValidationException.ThrowIfAny(errors);
    }

    private static bool Matches(string name, IReadOnlyList<string> patterns)
    {
        foreach (var pattern in patterns)
        {
            var matches = pattern.EndsWith('*')
                ? name.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
                : name.Equals(pattern, StringComparison.OrdinalIgnoreCase);
            if (matches)
            {
                return true;
            }
        }

        return false;
    }
}
