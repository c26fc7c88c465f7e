using System.Text.RegularExpressions;
using JobServer.Auth;
using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.Services.Users;

/// <summary>The rules of account fields, shared by <c>user.create</c> and <c>user.update</c>.</summary>
internal static partial class UserValidation
{
    public const int MaxFullNameLength = 200;

    public static void Username(string prefix, string username, List<ValidationError> errors)
    {
        if (!UsernamePattern().IsMatch(username))
        {
            errors.Add(new ValidationError($"{prefix}.username",
                "A username is 1 to 32 letters, digits, '.', '-' or '_', starting with a letter or '_'"));
        }
    }

    public static void Password(string prefix, string password, List<ValidationError> errors)
    {
        if (string.IsNullOrEmpty(password))
        {
            errors.Add(new ValidationError($"{prefix}.password", "The password must not be empty"));
        }
    }

    public static void FullName(string prefix, string fullName, List<ValidationError> errors)
    {
        if (fullName.Length > MaxFullNameLength)
        {
            errors.Add(new ValidationError($"{prefix}.full_name",
                $"At most {MaxFullNameLength} characters are allowed"));
        }
    }

    public static void Roles(string prefix, IEnumerable<string> roles, List<ValidationError> errors)
    {
        foreach (var role in roles.Where(role => !KnownRoles.All.Contains(role)))
        {
            errors.Add(new ValidationError($"{prefix}.roles",
                $"Unknown role '{role}'; the roles are {KnownRoles.Describe()}"));
        }

        if (roles.Contains(Role.BatchAgent))
        {
            errors.Add(new ValidationError($"{prefix}.roles",
                $"{Role.BatchAgent} is for device agents' API keys (api_key.create), not for accounts"));
        }
    }

    public static ValidationException UsernameTaken(string prefix) =>
        new($"{prefix}.username", "A user with this username already exists", Errno.EEXIST);

    // POSIX-portable names (letters, digits, . - _), no leading dash or dot, as account tools accept them.
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex UsernamePattern();
}
