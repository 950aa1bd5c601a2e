using System.Net;
using System.Text.RegularExpressions;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Ui;

/// <summary>
/// Edit forms never overwrite silently: each carries the version it showed, a save over a newer version saves nothing and
/// answers 409 with the saved values beside the person's own, and the form then carries the newer version so a second save
/// applies the person's values on purpose.
/// </summary>
public sealed partial class EditConflictPagesTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stale_engagement_form_saves_nothing_shows_both_values_and_can_be_saved_again()
    {
        using var admin = new PlanningClient(fixture.App.AdminClient());
        var world = await UiWorld.Create(admin);
        using var browser = await SignedIn();
        var path = $"/engagements/{world.Plenary}/edit";

        // The form is read at the engagement's version; then someone else renames the engagement through the API.
        var form = await Get(browser, path);
        var shown = Version(form);
        Assert.Equal((await admin.GetEngagement(world.Plenary)).VersionText(), shown);
        (await admin.TryPatchEngagement(world.Plenary, new { title = "Plenary (moved to the Great Hall)" })).Ok();

        using var stale = await Browserish.Post(browser, path, Fields(form, ("version", shown), ("Form.Title", "Opening plenary")));
        var html = await stale.Content.ReadAsStringAsync(Cancel);
        Assert.True(stale.StatusCode == HttpStatusCode.Conflict, $"{(int)stale.StatusCode}\n{html}");
        Assert.Contains("id=\"edit-conflict\"", html, StringComparison.Ordinal);
        Assert.Matches(ConflictRow("title", "Plenary \\(moved to the Great Hall\\)", "Opening plenary"), html);
        Assert.Contains("value=\"Opening plenary\"", html, StringComparison.Ordinal);
        var current = await admin.GetEngagement(world.Plenary);
        Assert.Equal("Plenary (moved to the Great Hall)", current.Str("title"));
        Assert.Equal(current.VersionText(), Version(html));

        // Saving the conflict page's form applies the person's values over the newer engagement, knowingly.
        using var again = await Browserish.Post(browser, path, Fields(html, ("version", Version(html)), ("Form.Title", "Opening plenary")));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("Opening plenary", (await admin.GetEngagement(world.Plenary)).Str("title"));
    }

    [Fact]
    public async Task An_edit_form_posted_without_its_version_is_refused_and_saves_nothing()
    {
        using var admin = new PlanningClient(fixture.App.AdminClient());
        var world = await UiWorld.Create(admin);
        using var browser = await SignedIn();
        var path = $"/engagements/{world.Plenary}/edit";
        var form = await Get(browser, path);

        using var response = await Browserish.Post(browser, path,
            [.. Fields(form, ("Form.Title", "Renamed blind")).Where(f => f.Name != "version")]);
        var html = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}\n{html}");
        Assert.Contains("did not say which version", html, StringComparison.Ordinal);
        Assert.Equal("Plenary session", (await admin.GetEngagement(world.Plenary)).Str("title"));
    }

    [Fact]
    public async Task Stale_programme_venue_delegation_and_person_forms_show_the_saved_values_beside_yours()
    {
        using var admin = new PlanningClient(fixture.App.AdminClient());
        var world = await UiWorld.Create(admin);
        using var browser = await SignedIn();

        await Stale(admin, browser, $"/programmes/{world.Jcm.ProgrammeId}/edit", $"/api/programmes/{world.Jcm.ProgrammeId}",
            new { name = "12th JCM" }, "name", "12th JCM", "Eleventh JCM");
        await Stale(admin, browser, $"/venues/{world.Jcm.Tsinghua}/edit", $"/api/venues/{world.Jcm.Tsinghua}",
            new { capacity = 40 }, "capacity", "40", "60");
        await Stale(admin, browser, $"/delegations/{world.Jcm.DelegationId}/edit", $"/api/delegations/{world.Jcm.DelegationId}",
            new { name = "UK team" }, "name", "UK team", "United Kingdom");
        await Stale(admin, browser, $"/people/{world.Ellery}/edit", $"/api/people/{world.Ellery}",
            new { title = "President of the Royal Society" }, "title", "President of the Royal Society", "Foreign Secretary");
    }

    /// <summary>
    /// Reads the form, lets the API change <paramref name="field"/> to <paramref name="theirs"/>, posts the form with
    /// <paramref name="yours"/>: 409, both values shown, the API's value kept.
    /// </summary>
    private static async Task Stale(PlanningClient admin, HttpClient browser, string page, string api, object change, string field, string theirs, string yours)
    {
        var form = await Get(browser, page);
        (await admin.Patch(api, change)).Ok();
        using var response = await Browserish.Post(browser, page, Fields(form, (field, yours)));
        var html = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{page}: {(int)response.StatusCode}\n{html}");
        Assert.Matches(ConflictRow(field, Regex.Escape(theirs), Regex.Escape(yours)), html);
        var saved = await admin.GetJson(api);
        Assert.Equal(theirs, saved.Required(field).ToString());
        Assert.Equal(saved.VersionText(), Version(html));
    }

    /// <summary>A browser-like client signed in with the admin key.</summary>
    private async Task<HttpClient> SignedIn()
    {
        var browser = Browserish.Client(fixture.App);
        await Browserish.SignIn(browser, PlannerApp.AdminKey);
        return browser;
    }

    private static async Task<string> Get(HttpClient browser, string path)
    {
        using var page = await browser.GetAsync(new Uri(path, UriKind.Relative), Cancel);
        var html = await page.Content.ReadAsStringAsync(Cancel);
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)page.StatusCode}\n{html}");
        return html;
    }

    private static string Version(string html)
    {
        var match = VersionField().Match(html);
        Assert.True(match.Success, "The form carries no version field.");
        return match.Groups[1].Value;
    }

    /// <summary>Every field the form's HTML holds (inputs, checked boxes, selected options, text areas), with overrides.</summary>
    private static (string Name, string Value)[] Fields(string html, params (string Name, string Value)[] overrides)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in InputTag().Matches(html))
        {
            var tag = input.Value;
            var name = Attribute(tag, "name");
            if (name is null || (Attribute(tag, "type") is "checkbox" && !tag.Contains(" checked", StringComparison.Ordinal)))
            {
                continue;
            }

            fields[name] = WebUtility.HtmlDecode(Attribute(tag, "value") ?? string.Empty);
        }

        foreach (Match select in SelectTag().Matches(html))
        {
            var selected = SelectedOption().Match(select.Groups[2].Value);
            fields[select.Groups[1].Value] = selected.Success ? WebUtility.HtmlDecode(selected.Groups[1].Value) : string.Empty;
        }

        foreach (Match area in TextArea().Matches(html))
        {
            fields[area.Groups[1].Value] = WebUtility.HtmlDecode(area.Groups[2].Value);
        }

        foreach (var (name, value) in overrides)
        {
            fields[name] = value;
        }

        return [.. fields.Select(f => (f.Key, f.Value))];
    }

    private static string? Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"");
        return match.Success ? match.Groups[1].Value : null;
    }

    private static Regex ConflictRow(string field, string current, string yours) => new(
        $"<tr data-field=\"{field}\"><th scope=\"row\">[^<]*</th><td class=\"current\">{current}</td><td class=\"yours\">{yours}</td></tr>");

    [GeneratedRegex("<input type=\"hidden\" name=\"version\" value=\"(\\d+)\"")]
    private static partial Regex VersionField();

    [GeneratedRegex("<input\\s[^>]*>")]
    private static partial Regex InputTag();

    [GeneratedRegex("<select[^>]*\\sname=\"([^\"]+)\"[^>]*>(.*?)</select>", RegexOptions.Singleline)]
    private static partial Regex SelectTag();

    [GeneratedRegex("<option value=\"([^\"]*)\" selected=\"selected\"")]
    private static partial Regex SelectedOption();

    [GeneratedRegex("<textarea[^>]*\\sname=\"([^\"]+)\"[^>]*>(.*?)</textarea>", RegexOptions.Singleline)]
    private static partial Regex TextArea();
}
