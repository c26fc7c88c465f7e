namespace JobServer.IntegrationTests.Rest;

/// <summary>The REST test classes share one daemon.</summary>
[CollectionDefinition(Name)]
public sealed class RestCollection : ICollectionFixture<RestDaemon>
{
    public const string Name = "rest";
}
