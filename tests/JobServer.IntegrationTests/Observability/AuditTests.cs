using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using JobServer.IntegrationTests.Rest;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Observability;

/// <summary>
/// Issue 17 (operators): sign-ins and calls that change state are recorded with caller, method, client address and
/// outcome, secrets masked, and <c>audit.query</c> shows them to full administrators.
/// </summary>
public sealed class AuditTests
{
    private const string NewPassword = "audit-secret-password-1";

    [Fact]
    public async Task SignInsAndChanges_AreStored_WithCallerAddressAndOutcome_ButNoSecretsAndNoReads()
    {
        await using var daemon = await Daemon.StartAsync();
        await using (var guesser = await daemon.ConnectAsync())
        {
            (await guesser.CallResultAsync("auth.login", "root", "wrong-password")).GetBoolean().Should().BeFalse();
        }

        await using var root = await daemon.ConnectAsRootAsync();
        await root.CallResultAsync("user.create", new { username = "audited", password = NewPassword });
        await root.CallResultAsync("user.query");
        await using var plain = await daemon.ConnectAsAccountAsync("plainaudit");
        (await plain.CallErrorAsync("user.create", new { username = "sneaky", password = NewPassword }))
            .GetProperty("errname").GetString().Should().Be("EACCES");

        var events = await WaitForEventsAsync(root, 5, ["event", "in", new[] { "SIGN_IN", "CALL" }]);

        events.Should().ContainSingle(e => Is(e, "event", "SIGN_IN") && Is(e, "username", "root") &&
                                           !e.GetProperty("success").GetBoolean() && Is(e, "error", "AuthError") &&
                                           Is(e, "credential", "LOGIN_PASSWORD") && Is(e, "address", "127.0.0.1"));
        events.Should().Contain(e => Is(e, "event", "SIGN_IN") && Is(e, "username", "root") &&
                                     e.GetProperty("success").GetBoolean());
        var created = events.Should().ContainSingle(e => Is(e, "method", "user.create") && Is(e, "username", "root"))
            .Which;
        created.GetProperty("success").GetBoolean().Should().BeTrue();
        created.GetProperty("address").GetString().Should().Be("127.0.0.1");
        created.GetProperty("time").TryGetProperty("$date", out _).Should().BeTrue();
        created.GetProperty("arguments").GetString().Should().Contain("audited").And.Contain("********");
        events.Should().ContainSingle(e => Is(e, "method", "user.create") && Is(e, "username", "plainaudit") &&
                                           !e.GetProperty("success").GetBoolean() && Is(e, "error", "EACCES"));
        events.Should().NotContain(e => Is(e, "method", "user.query"), "reads are not audited");
        events.Should().NotContain(e => e.GetRawText().Contains(NewPassword, StringComparison.Ordinal));
        events.Should().NotContain(e => e.GetRawText().Contains("wrong-password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AuditQuery_TakesFiltersAndOptions_AndIsRefusedToOthers()
    {
        await using var daemon = await Daemon.StartAsync();
        await using var root = await daemon.ConnectAsRootAsync();
        await using var readonlyAdmin = await daemon.ConnectAsAccountAsync("auditro", "READONLY_ADMIN");

        var count = await WaitForAsync(root, () => root.CallResultAsync("audit.query",
            new object[] { new object[] { "event", "=", "SIGN_IN" } }, new { count = true }),
            result => result.GetInt32() >= 2);
        var refused = await readonlyAdmin.CallErrorAsync("audit.query");

        count.GetInt32().Should().BeGreaterThanOrEqualTo(2);
        refused.GetProperty("errname").GetString().Should().Be("EACCES");
    }

    [Fact]
    public async Task HttpRequestsWithOneKey_AreOneAuditedSignIn_ButEveryFailureAndChangeIsRecorded()
    {
        await using var daemon = await Daemon.StartAsync();
        await using var root = await daemon.ConnectAsRootAsync();
        var created = await root.CallResultAsync("api_key.create", new { name = "poller" });
        using var poller = new RestClient(daemon.BaseUri,
            new AuthenticationHeaderValue("Bearer", created.GetProperty("key").GetString()));
        using var guesser = new RestClient(daemon.BaseUri,
            new AuthenticationHeaderValue("Bearer", $"{created.GetProperty("id").GetInt64()}-{new string('x', 48)}"));

        for (var poll = 0; poll < 5; poll++)
        {
            (await poller.GetAsync("/api/v2.0/user")).Status.Should().Be(HttpStatusCode.OK);
            (await guesser.GetAsync("/api/v2.0/user")).Status.Should().Be(HttpStatusCode.Unauthorized);
        }

        (await poller.CallAsync(HttpMethod.Post, "/api/v2.0/user", new { username = "by-poller", password = NewPassword }))
            .Status.Should().Be(HttpStatusCode.OK);
        // The call is queued after every sign-in above, so once it is stored they all are.
        await WaitForEventsAsync(root, 1, ["method", "=", "user.create"]);
        var signIns = (await WaitForEventsAsync(root, 0, ["credential", "=", "API_KEY"]))
            .Where(e => Is(e, "event", "SIGN_IN")).ToList();

        signIns.Where(e => e.GetProperty("success").GetBoolean()).Should().ContainSingle();
        signIns.Where(e => !e.GetProperty("success").GetBoolean()).Should().HaveCount(5);
    }

    private static bool Is(JsonElement entry, string property, string value) =>
        entry.TryGetProperty(property, out var actual) && actual.ValueKind == JsonValueKind.String &&
        actual.GetString() == value;

    /// <summary>The stored events once at least <paramref name="atLeast"/> match (the writer stores them soon after).</summary>
    private static async Task<List<JsonElement>> WaitForEventsAsync(DdpClient root, int atLeast, object[] filter)
    {
        var result = await WaitForAsync(root, () => root.CallResultAsync("audit.query", (object)new object[] { filter }),
            events => events.GetArrayLength() >= atLeast);
        return [.. result.EnumerateArray()];
    }

    private static async Task<JsonElement> WaitForAsync(DdpClient root, Func<Task<JsonElement>> query,
        Func<JsonElement, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var result = await query();
            if (done(result) || timeout.IsCancellationRequested)
            {
                return result;
            }

            await Task.Delay(50, CancellationToken.None); // The writer's next batch; bounded by the timeout above.
        }
    }
}
