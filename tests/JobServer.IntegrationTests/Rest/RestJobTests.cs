using System.Net;
using System.Security.Cryptography;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Rest;

/// <summary>Job methods over REST: the id, <c>?wait=true</c>, a download as the body, an upload as multipart.</summary>
[Collection(RestCollection.Name)]
public sealed class RestJobTests(RestDaemon fixture)
{
    [Fact]
    public async Task Job_WithoutWait_AnswersItsIdAndTheJobRuns()
    {
        using var root = fixture.Root;

        var (status, id) = await root.CallAsync(HttpMethod.Post, "/api/v2.0/testjobs/echo", "hello");
        var (_, result) = await root.CallAsync(HttpMethod.Post, "/api/v2.0/core/job_wait", id.GetInt64());

        status.Should().Be(HttpStatusCode.OK);
        id.GetInt64().Should().BePositive();
        result.GetString().Should().Be("hello");
    }

    [Fact]
    public async Task Job_WithWait_AnswersItsResult()
    {
        using var root = fixture.Root;

        var (status, result) = await root.CallAsync(HttpMethod.Post, "/api/v2.0/testjobs/echo?wait=true", new { a = 1 });

        status.Should().Be(HttpStatusCode.OK);
        result.GetProperty("a").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task Job_WithWaitThatFails_AnswersItsErrorInTheRestShape()
    {
        using var root = fixture.Root;

        var (failed, error) = await root.CallAsync(HttpMethod.Post, "/api/v2.0/testjobs/fail?wait=true", "it broke");
        var (invalid, validation) = await root.GetAsync("/api/v2.0/testjobs/invalid?wait=true");

        failed.Should().Be(HttpStatusCode.UnprocessableEntity);
        error.GetProperty("message").GetString().Should().Contain("it broke");
        error.GetProperty("errno").GetInt32().Should().Be(22);
        invalid.Should().Be(HttpStatusCode.UnprocessableEntity);
        validation.GetProperty("testjobs_invalid.field")[0].GetProperty("message").GetString().Should().Be("This field is wrong");
    }

    [Fact]
    public async Task CrashedJob_WithWait_IsTheJobsError422()
    {
        using var root = fixture.Root;

        var (status, error) = await root.GetAsync("/api/v2.0/testjobs/crash?wait=true");

        status.Should().Be(HttpStatusCode.UnprocessableEntity, "a job's failure is the job's error (errno EFAULT), not the call's");
        error.GetProperty("message").GetString().Should().Contain("boom");
    }

    [Fact]
    public async Task MethodBug_Is500WithoutTraceback_UnlessAnAdminWhileDebugging()
    {
        using var root = fixture.Root;
        var (_, general) = await root.GetAsync("/api/v2.0/system/general");
        var level = general.GetProperty("log_level").GetString();

        var (status, hidden) = await root.GetAsync("/api/v2.0/testjobs/explode");
        await root.CallAsync(HttpMethod.Put, "/api/v2.0/system/general", new { log_level = "Debug" });
        var (_, shown) = await root.GetAsync("/api/v2.0/testjobs/explode");
        using var plain = fixture.As("rest-plain");
        var (_, notForUsers) = await plain.GetAsync("/api/v2.0/testjobs/explode");
        await root.CallAsync(HttpMethod.Put, "/api/v2.0/system/general", new { log_level = level });

        status.Should().Be(HttpStatusCode.InternalServerError);
        hidden.GetProperty("message").GetString().Should().Contain("kaboom");
        hidden.GetProperty("traceback").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
        shown.GetProperty("traceback").GetString().Should().Contain("InvalidOperationException");
        notForUsers.GetProperty("traceback").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task DownloadJob_StreamsItsOutputAsTheBody()
    {
        using var root = fixture.Root;

        using var response = await root.SendAsync(HttpMethod.Post, "/api/v2.0/testjobs/produce?filename=out.bin", 300_000);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/octet-stream");
        response.Content.Headers.ContentDisposition!.FileName.Should().Contain("out.bin");
        bytes.Should().Equal(Transfer.Pattern(300_000));
    }

    [Fact]
    public async Task DownloadJob_ThatFailsBeforeItsFirstByte_AnswersItsErrorInTheRestShape()
    {
        using var root = fixture.Root;

        var (status, error) = await root.CallAsync(HttpMethod.Post, "/api/v2.0/testjobs/produce_nothing", "no output");

        status.Should().Be(HttpStatusCode.UnprocessableEntity);
        error.GetProperty("message").GetString().Should().Contain("no output");
        error.GetProperty("errno").GetInt32().Should().Be(22);
    }

    [Fact]
    public async Task UploadJob_TakesMultipartDataAndFile_AnswersItsIdOrWithWaitItsResult()
    {
        using var root = fixture.Root;
        var file = Transfer.Pattern(200_000);

        using var plain = await root.SendAsync(HttpMethod.Post, "/api/v2.0/testjobs/consume",
            Transfer.Multipart(("data", new StringContent("")), ("file", new ByteArrayContent(file))));
        using var waited = await root.SendAsync(HttpMethod.Post, "/api/v2.0/testjobs/consume?wait=true",
            Transfer.Multipart(("data", new StringContent("")), ("file", new ByteArrayContent(file))));
        var id = await RestClient.BodyOf(plain);
        var result = await RestClient.BodyOf(waited);

        plain.StatusCode.Should().Be(HttpStatusCode.OK, id.ToString());
        id.GetInt64().Should().BePositive();
        waited.StatusCode.Should().Be(HttpStatusCode.OK, result.ToString());
        result.GetProperty("bytes").GetInt64().Should().Be(file.Length);
        result.GetProperty("sha256").GetString().Should().Be(Convert.ToHexStringLower(SHA256.HashData(file)));
    }

    [Fact]
    public async Task UploadJob_WithoutMultipart_Is400AndStartsNoJob()
    {
        using var root = fixture.Root;
        var (_, before) = await root.GetAsync("/api/v2.0/core/get_jobs?count=true");

        var (status, body) = await root.CallAsync(HttpMethod.Post, "/api/v2.0/testjobs/consume", new { });
        var (_, after) = await root.GetAsync("/api/v2.0/core/get_jobs?count=true");

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("message").GetString().Should().Contain("multipart/form-data");
        after.GetInt32().Should().Be(before.GetInt32());
    }
}
