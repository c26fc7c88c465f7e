using System.Text;
using System.Text.Json;
using JobServer.Registry;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Services.Config;
using JobServer.Storage.Backup;
using JobServer.Tests.Support;

namespace JobServer.Tests.Config;

public sealed class ConfigSaveTests : IDisposable
{
    private readonly ConfigHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Save_LiveDatabase_WritesASelfContainedCopyOfTheAccounts()
    {
        _harness.AddUser("alice");

        var path = _harness.WriteFile("saved.db", await _harness.SaveAsync());

        _harness.Usernames(path).Should().Equal("root", "alice");
        using var saved = SqliteFiles.Open(SqliteFiles.ForFile(path));
        SqliteFiles.Scalar(saved, "PRAGMA journal_mode;").Should().Be("delete", "a WAL copy needs its -wal file beside it");
    }

    [Fact]
    public async Task Save_WithJobHistory_LeavesTheJobsOutOfTheFile()
    {
        _harness.AddJobRow("secret.job");

        var bytes = await _harness.SaveAsync();

        _harness.Count("jobs", _harness.WriteFile("saved.db", bytes)).Should().Be(0);
        Encoding.UTF8.GetString(bytes).Should().NotContain("[\"secret\"]", "freed pages are vacuumed away");
        _harness.Count("jobs").Should().Be(1, "the live job history is untouched");
    }

    [Fact]
    public async Task Save_Succeeds_ReportsProgressTo100AndLeavesNoSpoolFile()
    {
        using var output = new MemoryStream();
        var job = new FakeJobContext(output: output);

        await _harness.Service.Save(job);

        job.Progress[^1].Percent.Should().Be(100);
        Directory.EnumerateFiles(_harness.SpoolDir).Should().BeEmpty();
    }

    [Fact]
    public async Task Save_OutputFails_DeletesTheSpoolFile()
    {
        var output = new MemoryStream();
        await output.DisposeAsync();

        var save = () => _harness.Service.Save(new FakeJobContext(output: output));

        await save.Should().ThrowAsync<ObjectDisposedException>();
        Directory.EnumerateFiles(_harness.SpoolDir).Should().BeEmpty();
    }

    [Fact]
    public async Task Save_Aborted_DeletesTheSpoolFile()
    {
        var job = new FakeJobContext(output: new MemoryStream());
        job.Abort();

        var save = () => _harness.Service.Save(job);

        await save.Should().ThrowAsync<OperationCanceledException>();
        Directory.EnumerateFiles(_harness.SpoolDir).Should().BeEmpty();
    }

    [Theory]
    [InlineData("""[{}]""")]
    [InlineData("""[]""")]
    public void Bind_EmptyOrAbsentOptions_AreAccepted(string parameters) =>
        ArgumentBinder.Bind(Method("config.save"), JsonDocument.Parse(parameters).RootElement)
            .OfType<ConfigSaveOptions>().Should().NotContain(o => o.SecretSeed);

    [Fact]
    public void Bind_SecretSeed_IsAccepted() =>
        ArgumentBinder.Bind(Method("config.save"), JsonDocument.Parse("""[{"secret_seed": true}]""").RootElement)
            .OfType<ConfigSaveOptions>().Single().SecretSeed.Should().BeTrue();

    [Fact]
    public void Bind_UnknownOptionKey_IsAValidationError()
    {
        var bind = () => ArgumentBinder.Bind(Method("config.save"), JsonDocument.Parse("""[{"bogus": 1}]""").RootElement);

        bind.Should().Throw<ArgumentValidationException>();
    }

    [Theory]
    [InlineData("config.save", JobPipes.Output)]
    [InlineData("config.upload", JobPipes.Input)]
    public void Registry_ConfigMethods_AreFullAdminJobsWithTheirPipe(string name, JobPipes pipes)
    {
        var method = Method(name);

        method.Job!.Pipes.Should().Be(pipes);
        method.Access.Roles.Should().Equal(Role.FullAdmin);
    }

    private MethodDescriptor Method(string name)
    {
        MethodRegistryBuilder.Build([_harness.Service]).TryGetMethod(name, out var method).Should().BeTrue(name);
        return method;
    }
}
