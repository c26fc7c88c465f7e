namespace JobServer.Sdk;

/// <summary>
/// A parameter (or property) whose value must never be shown: it is redacted in job <c>arguments</c> and logs.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, Inherited = true)]
public sealed class SecretAttribute : Attribute;
