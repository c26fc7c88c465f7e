using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace JobServer.Probes.Fuzzing;

/// <summary>
/// The REST mirror's fuzzer (issue 17): seeded malformed requests — bad verbs, paths, ids, query strings, bodies
/// and content types — against the mirror's routes that change state, signed in as root (a token) or not at all.
/// The promises: every answer is a 4xx (or a 2xx for a harmless read) with a JSON body, never a 5xx or a dropped
/// connection; the users and system.general are exactly as before; no error entry in the daemon's log.
/// </summary>
public static class RestFuzzer
{
    /// <summary>
    /// Routes that change state (and a few that do not exist), with the verb each takes; a path that starts with
    /// <c>~</c> is outside the mirror (the operators' and the docs' routes), the rest are under <c>/api/v2.0</c>.
    /// </summary>
    private static readonly string[] Routes =
    [
        "POST /user", "GET /user", "PUT /user/id/999999", "DELETE /user/id/999999", "PUT /user/id/x", "GET /user/id/x",
        "DELETE /user/id/-1", "PUT /user/id/1e3", "GET /user/id/%ZZ", "PUT /system/general", "GET /system/general",
        "POST /api_key", "PUT /api_key/id/999999", "GET /core/get_jobs", "POST /core/job_abort", "POST /core/bulk",
        "POST /filesystem/mkdir", "GET /no/such", "GET /core", "GET /user/id/", "PUT /user/id/999999/x", "POST //user",
        "GET /core/get_workers", "GET /core/version", "GET /audit", "GET /openapi.json", "GET ~/", "GET ~/healthz",
        "GET ~/readyz", "GET ~/metrics", "POST ~/metrics", "GET ~/api/docs", "GET ~/api/docs/websocket",
        // The Spark dialect (issue 15): none of the fuzzer's content types is a binary type, so nothing is stored.
        "GET ~/binaries", "GET ~/binaries/fuzz", "POST ~/binaries/fuzz", "DELETE ~/binaries/fuzz", "GET ~/binaries/%ZZ",
        "POST ~/binaries/..", "PUT ~/binaries/fuzz",
        // No fuzzed query names an uploaded binary (appName=), so no POST /jobs here starts a job.
        "POST ~/jobs", "GET ~/jobs", "PUT ~/jobs", "GET ~/jobs/fuzz", "DELETE ~/jobs/00000000-0000-8000-8000-00000000ffff",
        "GET ~/jobs/%ZZ", "PATCH ~/jobs/1", "GET ~/jobs/fuzz/config",
        // Contexts: every fuzzed name is one no context may have (spark's rule: it starts with a letter), so a fuzzed
        // POST never starts a process, and no fuzzed query says reset=reboot; the listing is part of the state below.
        "GET ~/contexts", "PUT ~/contexts", "GET ~/contexts/9fuzz", "POST ~/contexts/9fuzz", "DELETE ~/contexts/9fuzz",
        "POST ~/contexts/%ZZ", "POST ~/contexts/..", "PATCH ~/contexts/_x", "POST ~/contexts/-x",
        // The batch API (issue 16).
        "POST ~/batch/jobs", "GET ~/batch/jobs", "GET ~/batch/jobs/999999", "DELETE ~/batch/jobs/x",
        "GET ~/batch/tasks/-1", "GET ~/batch/agents", "GET ~/batch/jobs/1/ws", "POST ~/batch/jobs/1",
    ];

    private static readonly string[] Verbs = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    private static readonly string[] Queries =
    [
        "", "?limit=-1", "?limit=x", "?offset=99999999999", "?count=maybe", "?sort=,,,", "?sort=-", "?username__zz=1",
        "?__eq=1", "?a=1&a=2", "?extra.=1", "?extra.x=%ZZ", "?wait=true", "?username__regex=(", "?username__regex=[",
        "?id__gt=9223372036854775808", "?%00=1", "?username=%F0%28%8C%BC", "?select=x",
        "?callbackUrl=http://169.254.169.254/", "?callbackUrl=gopher://%ZZ",
    ];

    private static readonly string[] ContentTypes =
        ["application/json", "text/plain", "application/x-www-form-urlencoded", "application/merge-patch+json", ""];

    public static async Task<ProbeReport> RunAsync(Uri baseUri, ProtocolFuzzerOptions options)
    {
        var report = new ProbeReport("REST fuzzer");
        var random = new Random(options.Seed);
        var values = new FuzzValues(random);
        var token = await ProtocolFuzzer.SignInTokenAsync(baseUri, options.Password);
        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        var errorsBefore = options.DaemonLog?.ErrorEntries ?? 0;
        var before = await StateAsync(http, token);
        var statuses = new SortedDictionary<int, int>();
        for (var i = 0; i < options.Inputs; i++)
        {
            using var request = NextRequest(random, values, token);
            var where = $"input {i}: {request.Method} {request.RequestUri}";
            try
            {
                using var response = await http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
                // The mirror answers JSON in every case; the operators' and docs' routes answer their own formats.
                var mirror = request.RequestUri!.OriginalString.StartsWith("/api/v2.0", StringComparison.Ordinal) ||
                             IsBatchAnswer(request, response);
                if ((int)response.StatusCode >= 500 || (mirror && request.Method != HttpMethod.Head && !IsJson(body)))
                {
                    report.Violation($"{where}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}");
                }
            }
            catch (HttpRequestException e)
            {
                report.Violation($"{where}: {e.Message}");
            }
        }

        if (await StateAsync(http, token) != before)
        {
            report.Violation("the users, system.general or the batch jobs changed: a malformed request changed state");
        }

        if (options.DaemonLog is { } log && log.ErrorEntries > errorsBefore)
        {
            report.Violation($"the daemon logged {log.ErrorEntries - errorsBefore} error entries");
        }

        report.AddFigure("inputs", options.Inputs, "requests");
        foreach (var (status, count) in statuses)
        {
            report.AddFigure($"answered {status}", count, "requests");
        }

        report.AddFigure("seed", options.Seed, "");
        report.AddFigure("violations", report.Violations.Count, "violations");
        return report;
    }

    private static HttpRequestMessage NextRequest(Random random, FuzzValues values, string token)
    {
        var route = Routes[random.Next(Routes.Length)].Split(' ');
        var verb = random.Next(5) == 0 ? Verbs[random.Next(Verbs.Length)] : route[0];
        var path = route[1].StartsWith('~') ? route[1][1..] : "/api/v2.0" + route[1];
        var request = new HttpRequestMessage(new HttpMethod(verb), path + Queries[random.Next(Queries.Length)]);
        if (random.Next(4) != 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Token", token);
        }

        if (random.Next(3) != 0)
        {
            var content = new ByteArrayContent(Body(random, values));
            var type = ContentTypes[random.Next(ContentTypes.Length)];
            if (type.Length > 0)
            {
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            }

            request.Content = content;
        }

        return request;
    }

    /// <summary>Bodies that must change nothing: broken JSON, wrong types, duplicate keys, unknown fields, bad bytes.</summary>
    private static byte[] Body(Random random, FuzzValues values)
    {
        var text = random.Next(8) switch
        {
            0 => values.Any(),
            1 => values.Object(0),
            2 => "{\"username\": " + values.Any() + "}",
            3 => "{\"job_retention_count\": " + values.String() + ", \"no_such_setting\": 1}",
            4 => "{\"username\": \"fuzz\", \"username\": \"fuzz2\", \"password\": \"x\"}",
            5 => Truncated(values.Object(0)),
            6 => values.DeepNesting(),
            _ => "{\"a\": " + values.Any() + ", \"b\": " + values.Any() + ", \"c\": 1}",
        };
        var bytes = Encoding.UTF8.GetBytes(text);
        return random.Next(10) == 0 ? [.. bytes, 0xC3, 0x28] : bytes; // sometimes invalid UTF-8 at the end
    }

    private static string Truncated(string json) => json[..(json.Length / 2)];

    /// <summary>What malformed requests must not change: every user, the general settings, the batch jobs, the Spark contexts.</summary>
    private static async Task<string> StateAsync(HttpClient http, string token)
    {
        var state = new StringBuilder();
        foreach (var path in new[] { "/api/v2.0/user", "/api/v2.0/system/general", "/api/v2.0/api_key", "/batch/jobs", "/contexts" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Token", token);
            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}");
            }

            state.Append(await response.Content.ReadAsStringAsync());
        }

        return state.ToString();
    }

    /// <summary>The batch routes answer JSON too (issue 16), except an unmatched verb (405 from routing).</summary>
    private static bool IsBatchAnswer(HttpRequestMessage request, HttpResponseMessage response) =>
        request.RequestUri!.OriginalString.StartsWith("/batch/", StringComparison.Ordinal) &&
        response.StatusCode != HttpStatusCode.MethodNotAllowed;

    private static bool IsJson(string body)
    {
        try
        {
            using var _ = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
