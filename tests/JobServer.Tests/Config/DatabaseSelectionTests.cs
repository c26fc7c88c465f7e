using FluentAssertions;
using JobServer.Configuration;
using JobServer.Storage.Providers;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace JobServer.Tests.Config;

public sealed class DatabaseSelectionTests
{
    [Fact]
    public void NoConnectionString_SelectsSqliteInTheDataDirectory()
    {
        var database = JobServerDatabase.From(new ConfigurationBuilder().Build(), "/data/jobserver.db");

        database.Kind.Should().Be(DatabaseKind.Sqlite);
        database.ConnectionString.Should().Be("Data Source=/data/jobserver.db;Pooling=True");
    }

    [Fact]
    public void ConnectionString_SelectsPostgreSql()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:JobServer"] = "Host=db;Database=jobs;Username=js",
        }).Build();

        var database = JobServerDatabase.From(configuration, "/data/jobserver.db");

        database.Kind.Should().Be(DatabaseKind.PostgreSql);
        database.ConnectionString.Should().Be("Host=db;Database=jobs;Username=js");
    }

    [Fact]
    public void MalformedConnectionString_StopsTheStart()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:JobServer"] = "Hots=db;nonsense",
        }).Build();

        var select = () => JobServerDatabase.From(configuration, "/data/jobserver.db");

        select.Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData("nas1", "http://127.0.0.1:8090", "nas1")]
    [InlineData(null, "http://127.0.0.1:8091;http://[::1]:9000", "{host}:8091")]
    [InlineData("  ", "http://*:7000", "{host}:7000")]
    public void NodeName_IsTheConfiguredOne_OrHostAndFirstPort(string? configured, string urls, string expected)
    {
        ClusterOptions.NodeNameOrDefault(configured, urls).Should()
            .Be(expected.Replace("{host}", Environment.MachineName, StringComparison.Ordinal));
    }
}
