using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace JobServer.IntegrationTests.Rest;

/// <summary>
/// The API docs in a real headless Chromium, loaded from the daemon with every other address blocked: swagger-ui
/// lists the services, "try it" calls the daemon, and the WebSocket reference lists the methods.
/// </summary>
[Collection(RestCollection.Name)]
public sealed class ApiDocsBrowserTests(RestDaemon fixture)
{
    private static readonly float Timeout = 30_000;

    [ChromiumFact]
    public async Task DocsUi_LoadsFromTheDaemonWithoutNetwork_ListsUser_AndTryItCallsTheDaemon()
    {
        await using var browser = await BrowserSession.OpenAsync(fixture.Daemon.BaseUri);
        var page = browser.Page;

        await page.GotoAsync(new Uri(fixture.Daemon.BaseUri, "/api/docs/").ToString());
        await page.Locator("#operations-tag-user").WaitForAsync(new() { Timeout = Timeout });
        var ping = page.Locator("[id^='operations-core-core'][id$='.ping']");
        await ping.Locator(".opblock-summary").First.ClickAsync(new() { Timeout = Timeout });
        await ping.GetByRole(AriaRole.Button, new() { Name = "Try it out" }).ClickAsync(new() { Timeout = Timeout });
        await ping.GetByRole(AriaRole.Button, new() { Name = "Execute" }).ClickAsync(new() { Timeout = Timeout });
        var answer = ping.Locator(".live-responses-table .response-col_description pre");
        await answer.First.WaitForAsync(new() { Timeout = Timeout });

        (await page.Locator(".opblock-tag").AllInnerTextsAsync()).Should().Contain(t => t.StartsWith("user"));
        (await answer.First.InnerTextAsync()).Should().Contain("pong");
        browser.Blocked.Should().BeEmpty("the docs need nothing but the daemon");
        browser.Served.Should().Contain(url => url.Contains("/api/v2.0/core/ping"), "try it called the daemon");
    }

    [ChromiumFact]
    public async Task WebSocketReference_ListsEveryServicesMethodsWithExamples()
    {
        await using var browser = await BrowserSession.OpenAsync(fixture.Daemon.BaseUri);
        var page = browser.Page;

        await page.GotoAsync(new Uri(fixture.Daemon.BaseUri, "/api/docs/websocket").ToString());
        var create = page.Locator("[id='user.create']");

        (await page.Locator("h2#user").InnerTextAsync()).Should().Be("user");
        (await create.InnerTextAsync()).Should().Contain("\"method\": \"user.create\"").And.Contain("username");
        (await page.Locator("[id='auth.login']").InnerTextAsync()).Should().Contain("WebSocket only");
        browser.Blocked.Should().BeEmpty();
    }

    /// <summary>Playwright on Debian's chromium, every request outside the daemon aborted and recorded.</summary>
    private sealed class BrowserSession : IAsyncDisposable
    {
        private IPlaywright _playwright = null!;
        private IBrowser _browser = null!;

        public IPage Page { get; private set; } = null!;

        public ConcurrentBag<string> Blocked { get; } = [];

        public ConcurrentBag<string> Served { get; } = [];

        public static async Task<BrowserSession> OpenAsync(Uri daemon)
        {
            var session = new BrowserSession { _playwright = await Playwright.CreateAsync() };
            session._browser = await session._playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ChromiumFactAttribute.ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox"], // CI runs as root, where chromium's sandbox cannot start
            });
            session.Page = await session._browser.NewPageAsync();
            await session.Page.RouteAsync("**/*", async route =>
            {
                var url = new Uri(route.Request.Url);
                if (url.Scheme is "http" && url.Authority == daemon.Authority)
                {
                    session.Served.Add(route.Request.Url);
                    await route.ContinueAsync();
                }
                else if (url.Scheme is "data" or "blob")
                {
                    await route.ContinueAsync();
                }
                else
                {
                    session.Blocked.Add(route.Request.Url);
                    await route.AbortAsync();
                }
            });
            return session;
        }

        public async ValueTask DisposeAsync()
        {
            await _browser.DisposeAsync();
            _playwright.Dispose();
        }
    }
}
