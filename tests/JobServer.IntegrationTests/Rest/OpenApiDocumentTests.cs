using System.Net;
using System.Text.Json;
using JobServer.Rest.Mirror;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace JobServer.IntegrationTests.Rest;

/// <summary>
/// <c>/api/v2.0/openapi.json</c>, read and validated by an independent implementation (Microsoft.OpenApi's reader
/// and its default validation rules), with a path for every mirrored method — the plugins' too.
/// </summary>
[Collection(RestCollection.Name)]
public sealed class OpenApiDocumentTests(RestDaemon fixture)
{
    [Fact]
    public async Task OpenApiJson_IsValidOpenApi31_UnderAnIndependentValidator()
    {
        var text = await DocumentTextAsync();

        var read = OpenApiDocument.Parse(text, "json", new OpenApiReaderSettings());
        var document = read.Document!;
        var diagnostic = read.Diagnostic!;
        var errors = document.Validate(ValidationRuleSet.GetDefaultRuleSet())!.ToArray();

        diagnostic.SpecificationVersion.Should().Be(OpenApiSpecVersion.OpenApi3_1);
        diagnostic.Errors.Should().BeEmpty();
        errors.Should().BeEmpty();
        document.Components!.SecuritySchemes!.Should().ContainKeys("basic", "apiKey", "token");
        document.Paths!.Should().ContainKey("/user/id/{id}");
        document.Paths["/user/id/{id}"]!.Operations!.Keys.Select(k => k.Method).Should()
            .BeEquivalentTo(["GET", "PUT", "DELETE"]);
    }

    [Fact]
    public async Task Validator_RefusesABrokenDocument_SoThePassAboveMeansSomething()
    {
        var broken = (await DocumentTextAsync()).Replace("\"responses\":", "\"answers\":", StringComparison.Ordinal)
            .Replace("\"in\":\"path\"", "\"in\":\"nowhere\"", StringComparison.Ordinal);

        var read = OpenApiDocument.Parse(broken, "json", new OpenApiReaderSettings());
        var errors = read.Document?.Validate(ValidationRuleSet.GetDefaultRuleSet())?.ToArray() ?? [];

        (read.Diagnostic!.Errors.Count + errors.Length).Should().BePositive();
    }

    [Fact]
    public async Task OpenApiJson_HasAnOperationForEveryMirroredMethod_IncludingPlugins()
    {
        using var document = JsonDocument.Parse(await DocumentTextAsync());
        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => op.Value.GetProperty("operationId").GetString()))
            .ToHashSet();
        var registry = fixture.Daemon.Services.GetRequiredService<JobServer.Registry.MethodRegistry>();
        var mirrored = registry.Methods.Where(RestRouteTable.IsMirrored).Select(m => m.Name).ToArray();

        operations.Should().BeEquivalentTo(mirrored);
        operations.Should().Contain(["hello.add", "testjobs.consume", "user.query", "system.general.update"]);
        operations.Should().NotContain(["auth.login", "hello.secret", "core.stream_job_log"], "private and session-only methods are not mirrored");
    }

    [Fact]
    public async Task OpenApiJson_IsServedWithoutCredentials()
    {
        using var anonymous = fixture.Anonymous;

        using var response = await anonymous.SendAsync(HttpMethod.Get, "/api/v2.0/openapi.json", (HttpContent?)null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
    }

    private async Task<string> DocumentTextAsync()
    {
        using var anonymous = fixture.Anonymous;
        using var response = await anonymous.SendAsync(HttpMethod.Get, "/api/v2.0/openapi.json", (HttpContent?)null);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
