namespace JobServer.Sdk;

/// <summary>
/// The roles that may call a method; any one of them is enough, and <see cref="Role.FullAdmin"/> may call
/// everything. Without this attribute a method named <c>query</c>, <c>config</c> or <c>get_*</c> needs
/// <see cref="Role.ReadonlyAdmin"/>, any other <see cref="Role.FullAdmin"/>.
/// Use <see cref="Role.Authenticated"/> for methods every signed-in user may call.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class RolesAttribute(params string[] roles) : Attribute
{
    /// <summary>The roles, any of which grants the call.</summary>
    public IReadOnlyList<string> Roles { get; } = roles;
}
