using System.Net.Http.Json;
using CommissionPlanner.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CommissionPlanner.Web.Tests.Ui;

/// <summary>
/// The pages in English and in Chinese, in Debian's Chromium with the sample loaded: the language switch changes the
/// page, is kept for the person (a new browser that asks for English still gets Chinese after signing in), every main
/// page is walked in both languages with a screenshot each (<c>.data/screenshots/lang-*</c>), and no label of a Chinese
/// page is left in English.
/// </summary>
public sealed class BilingualPagesTests(KestrelPlannerFixture fixture) : IClassFixture<KestrelPlannerFixture>
{
    /// <summary>
    /// What a label is on these pages. Data inside one (a name, a title in English) is marked with its language
    /// (<c>lang="en"</c>) and passed over, as are tokens that are the same in both languages (CSV, UTC, zone ids).
    /// </summary>
    private const string EnglishLabels = """
        () => {
          const labels = 'label, th, button, legend, caption, summary, dt, h1, h2, h3, nav a, .button, .hint, .alert, .empty, .field-help';
          const same = new Set(['CSV', 'API', 'UTC', 'QR', 'ICS', 'iCalendar', 'webcal', 'URL', 'ID', 'UUID', 'JSON', 'IANA', 'OpenStreetMap', 'English', 'Excel', 'xlsx', 'SMTP', 'ISO', 'If-Match', 'xlsx', 'csv', 'json']);
          const english = (text) => (text
              .replace(/\b[A-Z][A-Za-z_]+\/[A-Za-z_\/+-]+/g, '')   // zone ids: Asia/Shanghai
              .replace(/[\w.+-]+@[\w.-]+/g, '')                    // e-mail addresses
              .replace(/\b[a-z]{2,3}-[a-z]{2,3}\b/g, '')              // language pairs: en-zh
              .replace(/https?:\/\/\S+|webcal:\/\/\S+/g, '')
              .replace(/\b[\w-]+\/[\w.\/-]+\.md\b/g, '')                // file paths: docs/import-format.md
              .match(/[A-Za-z][A-Za-z'-]{2,}/g) || []).filter(w => !same.has(w));
          const isData = (node) => {
            const host = (node.nodeType === 1 ? node : node.parentElement).closest('[lang]');
            return host !== null && host.getAttribute('lang').startsWith('en');
          };
          const found = [];
          for (const element of document.querySelectorAll(labels)) {
            if (element.closest('[hidden], [aria-hidden="true"], script, style, code, pre, .data')) continue;
            const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              if (isData(node) || node.parentElement.closest('code, pre, option, textarea, .data')) continue;
              const words = english(node.textContent);
              if (words.length) found.push(`${element.tagName.toLowerCase()}: "${node.textContent.trim().slice(0, 80)}"`);
            }
          }
          for (const element of document.querySelectorAll('[aria-label], [title], [placeholder], input[type=submit]')) {
            // A timeline link is named by its engagement (title, times, venue): data, whose own labels are checked above.
            if (isData(element) || element.hasAttribute('data-engagement')) continue;
            for (const name of ['aria-label', 'title', 'placeholder', 'value']) {
              if (name === 'value' && element.type !== 'submit') continue;
              const value = element.getAttribute(name);
              if (value && english(value).length) found.push(`${element.tagName.toLowerCase()}[${name}]: "${value.slice(0, 80)}"`);
            }
          }
          return [...new Set(found)];
        }
        """;

    [Fact]
    public async Task The_switch_is_kept_and_no_chinese_page_keeps_an_english_label()
    {
        if (!File.Exists(KestrelPlannerFixture.Chromium))
        {
            Assert.Skip($"{KestrelPlannerFixture.Chromium} is missing: install Debian's chromium (deploy/local/test.sh does so as root).");
        }

        var pages = await AccessibilityAuditTests.PagesOfTheSample(fixture.BaseAddress);
        var shots = UiEndToEndTests.Screenshots();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await UiEndToEndTests.Launch(playwright);

        // A browser that asks for English, signed in: English pages; the switch turns them Chinese.
        var first = await NewContext(browser);
        var page = await first.NewPageAsync();
        await SignIn(page, "API key", "Sign in");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "中文" }).ClickAsync();
        await PageLanguageBecomes(page, "zh-Hans");
        Assert.Equal("true", await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "中文" }).GetAttributeAsync("aria-pressed"));

        var problems = new List<string>();
        for (var i = 0; i < pages.Count; i++)
        {
            var response = await page.GotoAsync(pages[i]);
            Assert.True(response is { Ok: true }, $"GET {pages[i]}: {response?.Status}");
            Assert.Equal("zh-Hans", await page.Locator("html").GetAttributeAsync("lang"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, $"lang-zh-{i:00}-{Name(pages[i])}.png"), FullPage = true });
            var english = await page.EvaluateAsync<string[]>(EnglishLabels);
            problems.AddRange(english.Select(e => $"{pages[i]}: {e}"));
        }

        Assert.True(problems.Count == 0, $"{problems.Count} English labels on Chinese pages:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
        await first.CloseAsync();

        // Another browser, still asking for English: once signed in, the kept choice (Chinese) comes back.
        var second = await NewContext(browser);
        page = await second.NewPageAsync();
        await SignIn(page, "API key", "Sign in");
        await page.GotoAsync(pages[1]);
        Assert.Equal("zh-Hans", await page.Locator("html").GetAttributeAsync("lang"));

        // And back to English, walked the same way.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "English" }).ClickAsync();
        await PageLanguageBecomes(page, "en");
        for (var i = 0; i < pages.Count; i++)
        {
            var response = await page.GotoAsync(pages[i]);
            Assert.True(response is { Ok: true }, $"GET {pages[i]}: {response?.Status}");
            Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, $"lang-en-{i:00}-{Name(pages[i])}.png"), FullPage = true });
        }

        await second.CloseAsync();
    }

    [Fact]
    public async Task A_chinese_browser_gets_chinese_pages_before_signing_in_and_english_problem_details_stay_english()
    {
        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        using var chinese = new HttpRequestMessage(HttpMethod.Get, "/sign-in");
        chinese.Headers.AcceptLanguage.ParseAdd("zh-CN,zh;q=0.9,en;q=0.5");
        var page = await (await http.SendAsync(chinese, TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("<html lang=\"zh-Hans\">", page, StringComparison.Ordinal);
        Assert.Contains("API 密钥", page, StringComparison.Ordinal);

        // The API's problem details follow Accept-Language too; without one they are English, as the contract has them.
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PlannerApp.AdminKey);
        using var english = await http.PostAsync("/api/programmes", JsonContent.Create(new { name = "" }), TestContext.Current.CancellationToken);
        var englishProblem = await english.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("The request is invalid.", englishProblem.GetProperty("title").GetString());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/programmes") { Content = JsonContent.Create(new { name = "" }) };
        request.Headers.AcceptLanguage.ParseAdd("zh-CN");
        using var answer = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, answer.StatusCode);
        var problem = await answer.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("请求无效。", problem.GetProperty("title").GetString());
        Assert.Contains(answer.Content.Headers.ContentLanguage, language => language.StartsWith("zh", StringComparison.Ordinal));
        var messages = problem.GetProperty("errors").EnumerateObject().SelectMany(e => e.Value.EnumerateArray()).Select(m => m.GetString()!).ToList();
        Assert.Contains(messages, m => m.Contains("'name'", StringComparison.Ordinal) && m.Any(c => c is >= '\u4e00' and <= '\u9fff'));
    }

    /// <summary>After the switch's POST and redirect: the page shown is in that language (within 15 s).</summary>
    private static async Task PageLanguageBecomes(IPage page, string lang)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        string? now = null;
        while (DateTime.UtcNow < until)
        {
            try
            {
                now = await page.Locator("html").GetAttributeAsync("lang");
                if (now == lang)
                {
                    return;
                }
            }
            catch (PlaywrightException)
            {
                // The navigation replaced the document while we asked.
            }

            await Task.Delay(200);
        }

        Assert.Fail($"the page's language stayed {now}, not {lang} ({page.Url})");
    }

    private static async Task SignIn(IPage page, string keyLabel, string button)
    {
        await page.GotoAsync("/sign-in");
        await page.GetByLabel(keyLabel).FillAsync(PlannerApp.AdminKey);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = button, Exact = true }).ClickAsync();
        await UiEndToEndTests.ArriveAt(page, "**/");
    }

    private Task<IBrowserContext> NewContext(IBrowser browser) => browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = fixture.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = "en-GB",
    });

    private static string Name(string path)
    {
        var words = path.Split('/', '?', '=', '&').Where(p => p.Length > 0 && !Guid.TryParse(p, out _)).ToArray();
        return words.Length == 0 ? "home" : string.Join('-', words);
    }
}
