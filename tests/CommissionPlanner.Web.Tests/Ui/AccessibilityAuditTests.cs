using System.Text.Json;
using CommissionPlanner.Web.Tests.Import;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CommissionPlanner.Web.Tests.Ui;

/// <summary>
/// Every page of the web interface, with the sample programme loaded, audited by axe-core in Debian's Chromium in English
/// and in Chinese (the browser's language chooses): no serious or critical violation (WCAG 2.1 A and AA rules). A
/// violation names the language, the page, the rule and the elements.
/// </summary>
public sealed class AccessibilityAuditTests(KestrelPlannerFixture fixture) : IClassFixture<KestrelPlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("en-GB", "Sign in", "API key")]
    [InlineData("zh-CN", "登录", "API 密钥")]
    public async Task Every_page_has_no_serious_or_critical_axe_violation(string locale, string signIn, string keyLabel)
    {
        if (!File.Exists(KestrelPlannerFixture.Chromium))
        {
            Assert.Skip($"{KestrelPlannerFixture.Chromium} is missing: install Debian's chromium (deploy/local/test.sh does so as root).");
        }

        var pages = await PagesOfTheSample(fixture.BaseAddress);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await UiEndToEndTests.Launch(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = locale,
        });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        await Audit(page, "/sign-in", problems, locale);
        await page.GetByLabel(keyLabel).FillAsync(PlannerApp.AdminKey);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = signIn, Exact = true }).ClickAsync();
        await UiEndToEndTests.ArriveAt(page, "**/");

        foreach (var path in pages)
        {
            await Audit(page, path, problems, locale);
        }

        await Audit(page, "/language", problems, locale);

        // The import job page: the sample uploaded through the import form, audited where the form leads.
        await page.GotoAsync("/import");
        await page.Locator("#document").SetInputFilesAsync(ImportSample.Path);
        await page.Locator("form button[type=submit].primary").ClickAsync();
        await UiEndToEndTests.ArriveAt(page, "**/import/*");
        await Audit(page, new Uri(page.Url).PathAndQuery, problems, locale);

        // Other roles see other pages: a delegate their own itinerary, a reviewer the programme with review actions.
        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PlannerApp.AdminKey);
        using var api = new PlanningClient(http);
        var person = pages.Single(p => p.StartsWith("/people/", StringComparison.Ordinal) && p.Count(c => c == '/') == 2);
        var delegateKey = (await api.Post("/api/keys", new { name = $"audit delegate {locale}", role = "delegate", personId = person["/people/".Length..] })).Created().Str("key");
        var reviewerKey = (await api.Post("/api/keys", new { name = $"audit reviewer {locale}", role = "reviewer" })).Created().Str("key");
        foreach (var (key, paths) in new[]
        {
            (delegateKey, new[] { "/", person, $"{person}/print" }),
            (reviewerKey, new[] { "/", pages[1], pages.First(p => p.StartsWith("/engagements/", StringComparison.Ordinal)) }),
        })
        {
            await using var role = await page.Context.Browser!.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = fixture.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = locale,
            });
            var rolePage = await role.NewPageAsync();
            await rolePage.GotoAsync("/sign-in");
            await rolePage.GetByLabel(keyLabel).FillAsync(key);
            await rolePage.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = signIn, Exact = true }).ClickAsync();
            // Signed in when the browser leaves the sign-in page (a delegate's start page is their own itinerary).
            await rolePage.WaitForURLAsync(url => !url.Contains("/sign-in", StringComparison.Ordinal));
            foreach (var path in paths)
            {
                await Audit(rolePage, path, problems, locale);
            }
        }

        Assert.True(problems.Count == 0, $"{problems.Count} serious or critical axe violations ({locale}):{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
    }

    [Fact]
    public async Task The_timeline_is_used_by_keyboard_and_draws_no_engagement_over_another()
    {
        if (!File.Exists(KestrelPlannerFixture.Chromium))
        {
            Assert.Skip($"{KestrelPlannerFixture.Chromium} is missing: install Debian's chromium (deploy/local/test.sh does so as root).");
        }

        var programme = (await PagesOfTheSample(fixture.BaseAddress))[1];
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await UiEndToEndTests.Launch(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = "en-GB",
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/sign-in");
        await page.GetByLabel("API key").FillAsync(PlannerApp.AdminKey);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in", Exact = true }).ClickAsync();
        await UiEndToEndTests.ArriveAt(page, "**/");
        await page.GotoAsync(programme);

        // No two boxes of one day's timeline overlap: engagements at the same time in one city sit side by side.
        var overlaps = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('svg.timeline')].flatMap(svg => {
              const boxes = [...svg.querySelectorAll('a[data-engagement] > rect')].map(r => ({ id: r.parentElement.dataset.engagement, b: r.getBBox() }));
              const found = [];
              for (let i = 0; i < boxes.length; i++)
                for (let j = i + 1; j < boxes.length; j++) {
                  const a = boxes[i].b, b = boxes[j].b;
                  if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) found.push(`${boxes[i].id} over ${boxes[j].id}`);
                }
              return found;
            })
            """);
        Assert.Empty(overlaps);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(UiEndToEndTests.Screenshots(), "40-timeline-side-by-side.png"), FullPage = true });

        // The engagements table breaks lines between words, never inside one: each word of a cell lies on one line.
        await page.SetViewportSizeAsync(760, 900);
        var broken = await page.EvaluateAsync<string[]>("""
            () => {
              const found = [];
              for (const cell of document.querySelectorAll('#engagements-table ~ .table-wrap td')) {
                const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                  for (const match of node.textContent.matchAll(/[A-Za-z0-9]{2,}/g)) {
                    const range = document.createRange();
                    range.setStart(node, match.index);
                    range.setEnd(node, match.index + match[0].length);
                    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                    if (lines.size > 1) found.push(match[0]);
                  }
                }
              }
              return found;
            }
            """);
        Assert.Empty(broken);
        await page.SetViewportSizeAsync(1280, 900);

        // Tab from the skip link reaches the timeline's engagements in order; Enter opens the one focused.
        await page.Locator("a.skip-timeline").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        var first = await page.EvaluateAsync<string?>("() => document.activeElement.getAttribute('data-engagement')");
        Assert.NotNull(first);
        await page.Keyboard.PressAsync("Tab");
        var second = await page.EvaluateAsync<string?>("() => document.activeElement.getAttribute('data-engagement')");
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
        await page.Keyboard.PressAsync("Enter");
        await UiEndToEndTests.ArriveAt(page, $"**/engagements/{second}");

        // The skip link takes keyboard focus past every timeline link to the table of the same engagements.
        await page.GotoAsync(programme);
        await page.Locator("a.skip-timeline").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        // Polled, as ArriveAt does everywhere: Playwright's WaitForURL missed this same-document navigation once (it
        // waited for a load event that a fragment never fires).
        await UiEndToEndTests.ArriveAt(page, "**#engagements-table");
        Assert.Equal("engagements-table", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        Assert.True(await page.Locator($"#engagements-table ~ .table-wrap a[href='/engagements/{second}']").CountAsync() == 1);
    }

    private static async Task Audit(IPage page, string path, List<string> problems, string locale)
    {
        var response = await page.GotoAsync(path);
        Assert.True(response is { Ok: true }, $"GET {path}: {response?.Status}");
        Assert.Equal(locale.StartsWith("zh", StringComparison.Ordinal) ? "zh-Hans" : "en", await page.Locator("html").GetAttributeAsync("lang"));
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        foreach (var violation in result.Violations.Where(v => v.Impact is "serious" or "critical"))
        {
            problems.Add($"{path}: {violation.Id} ({violation.Impact}) {violation.Help}: "
                + string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Html.Length > 160 ? n.Html[..160] : n.Html)));
        }
    }

    /// <summary>The sample imported, and one of each page on it.</summary>
    internal static async Task<List<string>> PagesOfTheSample(Uri baseAddress)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PlannerApp.AdminKey);
        using var api = new PlanningClient(http);
        var imported = (await api.PostRaw("/api/programmes/import", ImportSample.Serialize(ImportSample.Load(ImportSample.NewPrefix())))).Json;
        var programme = imported.Str("programmeId");
        var delegations = (await api.GetJson($"/api/programmes/{programme}/delegations")).Items();
        var delegation = delegations[0].Id();
        var person = delegations[0].Required("members").Items()[0].Id();
        var engagements = List(await api.GetJson($"/api/programmes/{programme}/engagements"));
        var engagement = engagements.First(e => e.Str("kind") == "meeting").Id();
        var vehicle = List(await api.GetJson($"/api/programmes/{programme}/vehicles"))[0].Id();
        var venue = engagements[0].Required("venue").Id();
        return
        [
            "/", $"/programmes/{programme}", $"/programmes/{programme}?person={person}", "/programmes/new", $"/programmes/{programme}/edit",
            $"/programmes/{programme}/delegations/new", $"/programmes/{programme}/engagements/new", $"/programmes/{programme}/notifications",
            $"/programmes/{programme}/rooming-list", $"/programmes/{programme}/transfers?day=2025-11-12",
            $"/delegations/{delegation}", $"/delegations/{delegation}/edit", $"/delegations/{delegation}/members/import",
            $"/delegations/{delegation}/members/new", $"/delegations/{delegation}/print", $"/delegations/{delegation}/stays",
            $"/engagements/{engagement}", $"/engagements/{engagement}/edit",
            $"/people/{person}", $"/people/{person}/edit", $"/people/{person}/print",
            "/import", $"/vehicles/{vehicle}/manifest", "/venues/new", $"/venues/{venue}/edit",
        ];
    }

    private static List<JsonElement> List(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty("items", out var items) ? items.Items() : json.Items();
}

public sealed class TimelineLabelTests
{
    [Theory]
    [InlineData("M · Plenary", 20, "M · Plenary")]
    [InlineData("M · 11th UK–China Joint Commission", 16, "M · 11th…")]
    [InlineData("M · Plenary session", 8, "M…")]
    [InlineData("Supercalifragilistic", 6, "Super…")]
    public void A_timeline_label_is_cut_at_a_word(string label, int max, string shown)
    {
        Assert.Equal(shown, CommissionPlanner.Web.Ui.Timeline.Truncate(label, max));
    }
}

public sealed class LaneRowsTests
{
    [Fact]
    public void Overlapping_engagements_get_rows_of_their_own_and_a_free_row_is_reused()
    {
        // 09:00-11:00 and 10:00-12:00 overlap; 11:00-12:00 starts as the first ends, so it takes the first row again.
        var rows = CommissionPlanner.Web.Ui.LaneRows.Assign([(540, 660), (600, 720), (660, 720)]);
        Assert.Equal([0, 1, 0], rows);
    }

    [Fact]
    public void As_many_rows_as_engagements_at_once_in_any_order()
    {
        var rows = CommissionPlanner.Web.Ui.LaneRows.Assign([(900, 960), (600, 1000), (610, 620), (615, 700), (0, 30)]);
        Assert.Equal(3, rows.Max() + 1);
        Assert.Equal(0, rows[4]);
        Assert.Empty(CommissionPlanner.Web.Ui.LaneRows.Assign([]));
    }
}
