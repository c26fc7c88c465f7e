using System.Net;
using JobServer.IntegrationTests.Jobs;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Transfers;

/// <summary>The <c>data</c> part of <c>POST /_upload</c> (issue 12 item 10): absent or null params, bad shapes.</summary>
public sealed class UploadDataPartTests(JobsDaemon fixture) : IClassFixture<JobsDaemon>
{
    private Daemon Daemon => fixture.Daemon;

    private Task<HttpResponseMessage> PostAsync(string data) => Transfer.UploadAsync(Daemon.BaseUri,
        Transfer.Multipart(("data", new StringContent(data)), ("file", new ByteArrayContent(Transfer.Pattern(1000)))));

    [Theory]
    [InlineData("""{"method": "testjobs.consume"}""")]
    [InlineData("""{"method": "testjobs.consume", "params": null}""")]
    public async Task Upload_ParamsAbsentOrNull_MeansNoArguments(string data)
    {
        using var response = await PostAsync(data);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var jobId = (await Transfer.JsonAsync(response)).GetProperty("job_id").GetInt64();
        await using var client = await Daemon.ConnectAsRootAsync();
        (await client.CallResultAsync("core.job_wait", jobId)).GetProperty("bytes").GetInt64().Should().Be(1000);
    }

    [Theory]
    [InlineData("""{"method": "exec.run"}""")]
    [InlineData("""{"method": "exec.run", "params": null}""")]
    public async Task Upload_ParamsAbsentForAMethodThatNeedsArguments_IsAValidationErrorAndNoJob(string data)
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        var jobs = await Transfer.JobCountAsync(client);

        using var response = await PostAsync(data);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var body = await Transfer.JsonAsync(response);
        body.GetProperty("message").GetString().Should().Contain("exec_run.");
        body.GetProperty("extra")[0][0].GetString().Should().StartWith("exec_run.");
        (await Transfer.JobCountAsync(client)).Should().Be(jobs);
    }

    [Theory]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("\"testjobs.consume\"", "must be a JSON object")]
    [InlineData("""{"params": []}""", "must name a \"method\"")]
    [InlineData("""{"method": 5, "params": []}""", "must name a \"method\"")]
    [InlineData("""{"method": "testjobs.consume", "params": {"a": 1}}""", "\"params\" must be a list")]
    [InlineData("""{"method": "testjobs.consume", "method": "exec.run", "params": []}""", "Duplicate key")]
    [InlineData("""{"method": "testjobs.consume", "params": [{"a": 1, "a": 2}]}""", "Duplicate key")]
    [InlineData("""{"method": "testjobs.consume\ud800", "params": []}""", "lone surrogate")]
    [InlineData("""{"method": "testjobs.consume", "params": [""", "not JSON")]
    public async Task Upload_DataPartOfTheWrongShape_Is400WithAJsonBodyAndNoJob(string data, string message)
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        var jobs = await Transfer.JobCountAsync(client);

        using var response = await PostAsync(data);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Transfer.JsonAsync(response)).GetProperty("message").GetString().Should().Contain(message);
        (await Transfer.JobCountAsync(client)).Should().Be(jobs);
    }
}
