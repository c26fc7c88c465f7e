using System.Net;
using System.Text;
using JobServer.IntegrationTests.Support;
using JobServer.Registry;
using JobServer.Rest.Mirror;
using JobServer.Sdk;

namespace JobServer.IntegrationTests.Security;

/// <summary>
/// The authorization matrix (issue 12): every method of the registry × anonymous / plain user / READONLY_ADMIN /
/// FULL_ADMIN / a BATCH_AGENT key (issue 16), over both WebSocket dialects and every HTTP door, against what the method declares. A method
/// added without a reviewed line in <c>authorization-matrix.txt</c> fails the first test, so every new method
/// and route is looked at once.
/// </summary>
public sealed class AuthorizationMatrixTests(MatrixDaemon fixture) : IClassFixture<MatrixDaemon>
{
    private static string TablePath =>
        Path.Combine(RepositoryPaths.Root, "tests", "JobServer.IntegrationTests", "Security", "authorization-matrix.txt");

    [Fact]
    public void DeclaredAccess_OfEveryMethod_IsTheReviewedTable()
    {
        var actual = fixture.Methods.Select(DeclaredAccess.Describe).ToArray();
        var reviewed = File.ReadAllLines(TablePath).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

        actual.Should().Equal(reviewed,
            $"every method's access is reviewed: after checking it, update {TablePath} to:\n{string.Join('\n', actual)}\n");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryMethod_OverWebSocket_AnswersAsItsDeclarationSays(bool jsonRpc)
    {
        var mismatches = new List<string>();
        foreach (var identity in Identity.All)
        {
            await using var connection = new MatrixConnection(fixture.Daemon.BaseUri, identity, jsonRpc);
            foreach (var method in fixture.Methods)
            {
                var answer = await connection.CallAsync(method.Name);
                var actual = connection.Classify(answer);
                var expected = DeclaredAccess.Expected(method, identity);
                if (actual != expected)
                {
                    mismatches.Add($"{method.Name} as {identity}: expected {expected}, got {actual}: {answer}");
                }
            }
        }

        mismatches.Should().BeEmpty();
    }

    [Fact]
    public async Task EveryUploadMethod_OverUpload_AnswersAsItsDeclarationSays()
    {
        var uploads = fixture.Methods.Where(m => !m.IsPrivate && m.Job?.Pipes.HasFlag(JobPipes.Input) == true).ToArray();
        uploads.Should().NotBeEmpty();
        using var http = Transfer.Client(fixture.Daemon.BaseUri);
        var mismatches = new List<string>();
        foreach (var identity in Identity.All)
        {
            foreach (var method in uploads)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/_upload")
                {
                    Content = Transfer.Multipart(("data", Transfer.Data(method.Name)),
                        ("file", new ByteArrayContent(Encoding.UTF8.GetBytes("matrix")))),
                };
                if (identity.IsSignedIn)
                {
                    request.Headers.Authorization = identity.Authorization;
                }

                using var response = await http.SendAsync(request);
                var actual = await ClassifyAsync(response);
                var expected = HttpExpected(method, identity);
                if (actual != expected)
                {
                    mismatches.Add($"POST /_upload {method.Name} as {identity}: expected {expected}, got " +
                                   $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }

        mismatches.Should().BeEmpty();
    }

    [Fact]
    public async Task EveryDownloadMethod_OverCoreDownload_AnswersAsItsDeclarationSays()
    {
        var downloads = fixture.Methods.Where(m => !m.IsPrivate && m.Job?.Pipes.HasFlag(JobPipes.Output) == true).ToArray();
        downloads.Should().NotBeEmpty();
        var mismatches = new List<string>();
        foreach (var identity in Identity.All)
        {
            await using var client = await DdpClient.ConnectAsync(fixture.Daemon.WebSocketUri);
            if (identity.IsSignedIn)
            {
                (await client.CallResultAsync(identity.LoginCall.Method, identity.LoginCall.Args)).GetBoolean()
                    .Should().BeTrue();
            }

            foreach (var method in downloads)
            {
                var answer = await client.CallAsync("core.download", method.Name, Array.Empty<object>(), "matrix.bin");
                var actual = new MatrixConnection(fixture.Daemon.BaseUri, identity, jsonRpc: false).Classify(answer);
                var expected = HttpExpected(method, identity);
                if (actual != expected)
                {
                    mismatches.Add($"core.download {method.Name} as {identity}: expected {expected}, got {actual}: {answer}");
                }
            }
        }

        mismatches.Should().BeEmpty();
    }

    [Fact]
    public async Task EveryMethod_OverTheRestMirror_AnswersAsItsDeclarationSays()
    {
        using var http = Transfer.Client(fixture.Daemon.BaseUri);
        var mismatches = new List<string>();
        foreach (var identity in Identity.All)
        {
            foreach (var method in fixture.Methods)
            {
                var route = RestRouteTable.RouteOf(method);
                using var request = new HttpRequestMessage(new HttpMethod(route.Verb),
                    RestRouteTable.Prefix + route.Path.Replace("{id}", "0", StringComparison.Ordinal))
                {
                    Content = route.IsUpload
                        ? Transfer.Multipart(("data", new StringContent("")),
                            ("file", new ByteArrayContent(Encoding.UTF8.GetBytes("matrix"))))
                        : null,
                };
                if (identity.IsSignedIn)
                {
                    request.Headers.Authorization = identity.Authorization;
                }

                // Headers only: a download job's body may be endless (testjobs.endless); leaving ends it.
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                var actual = await ClassifyRestAsync(response);
                var expected = RestExpected(method, identity);
                if (actual != expected)
                {
                    mismatches.Add($"{route.Verb} {route.Path} ({method.Name}) as {identity}: expected {expected}, got " +
                                   $"{(int)response.StatusCode}");
                }
            }
        }

        mismatches.Should().BeEmpty();
    }

    [Fact]
    public async Task Download_WithoutToken_IsRefusedWhoeverAsks()
    {
        using var http = Transfer.Client(fixture.Daemon.BaseUri);
        foreach (var identity in Identity.All.Where(i => i.IsSignedIn))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/_download/1");
            request.Headers.Authorization = identity.Authorization;
            using var response = await http.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a download takes its token, not a sign-in");
        }
    }

    /// <summary>The HTTP doors (and core.download, which is itself for signed-in callers) need a sign-in first.</summary>
    private static Verdict HttpExpected(MethodDescriptor method, Identity identity) =>
        identity.IsSignedIn ? DeclaredAccess.Expected(method, identity) : Verdict.NotAuthenticated;

    /// <summary>
    /// The mirror has no route for a private method or one that needs a live session; a no-auth method answers
    /// without credentials, any other needs a sign-in first.
    /// </summary>
    private static Verdict RestExpected(MethodDescriptor method, Identity identity) => !RestRouteTable.IsMirrored(method)
        ? Verdict.NotFound
        : method.Access.NoAuth ? Verdict.Admitted : HttpExpected(method, identity);

    private static async Task<Verdict> ClassifyRestAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            return await ClassifyAsync(response) is var verdict && verdict == Verdict.NotFound ? Verdict.Admitted : verdict;
        }

        // 404 is also an item that does not exist (id 0): only "no such route" (ENOMETHOD) means not mirrored.
        var body = await Transfer.JsonAsync(response);
        return body.TryGetProperty("errno", out var errno) && errno.ValueKind == System.Text.Json.JsonValueKind.Number &&
               errno.GetInt32() == 201
            ? Verdict.NotFound
            : Verdict.Admitted;
    }

    private static async Task<Verdict> ClassifyAsync(HttpResponseMessage response)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized:
                return Verdict.NotAuthenticated;
            case HttpStatusCode.Forbidden:
                return Verdict.NotAuthorized;
            case HttpStatusCode.UnprocessableEntity:
                var body = await Transfer.JsonAsync(response);
                return body.TryGetProperty("errno", out var errno) && errno.ValueKind == System.Text.Json.JsonValueKind.Number &&
                       errno.GetInt32() == 201
                    ? Verdict.NotFound
                    : Verdict.Admitted;
            default:
                return Verdict.Admitted;
        }
    }
}
