using System.Net;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Ui;

/// <summary>The edit pages for programmes, venues, delegations and people over plain HTTP.</summary>
public sealed class EditPagesTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_edit_forms_are_linked_show_current_values_and_save_through_the_api()
    {
        using var admin = new PlanningClient(fixture.App.AdminClient());
        var world = await UiWorld.Create(admin);
        using var browser = Browserish.Client(fixture.App);
        await Browserish.SignIn(browser, PlannerApp.AdminKey);

        Assert.Contains($"/programmes/{world.Jcm.ProgrammeId}/edit", await Html(browser, $"/programmes/{world.Jcm.ProgrammeId}"), StringComparison.Ordinal);
        Assert.Contains($"/delegations/{world.Jcm.DelegationId}/edit", await Html(browser, $"/delegations/{world.Jcm.DelegationId}"), StringComparison.Ordinal);
        Assert.Contains($"/people/{world.Ellery}/edit", await Html(browser, $"/people/{world.Ellery}"), StringComparison.Ordinal);
        Assert.Contains($"/venues/{world.Jcm.Tsinghua}/edit", await Html(browser, "/"), StringComparison.Ordinal);

        var person = await admin.GetJson($"/api/people/{world.Ellery}");
        var path = $"/people/{world.Ellery}/edit";
        var form = await Html(browser, path);
        Assert.Contains(person.Str("email"), form, StringComparison.Ordinal);
        var token = await Browserish.Token(browser, path);
        using var saved = await Browserish.Post(browser, path, ("__RequestVerificationToken", token), ("version", person.VersionText()),
            ("fullName", person.Str("fullName")), ("organisation", person.Str("organisation")), ("title", "President of the Royal Society"),
            ("email", person.Str("email")), ("role", person.Str("role")), ("protocolOrder", "1"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/people/{world.Ellery}?notice=saved", saved.Headers.Location?.OriginalString);
        Assert.Equal("President of the Royal Society", (await admin.GetJson($"/api/people/{world.Ellery}")).Str("title"));

        var programmePath = $"/programmes/{world.Jcm.ProgrammeId}/edit";
        var programmeToken = await Browserish.Token(browser, programmePath);
        var programmeVersion = (await admin.GetJson($"/api/programmes/{world.Jcm.ProgrammeId}")).VersionText();
        using var programme = await Browserish.Post(browser, programmePath, ("__RequestVerificationToken", programmeToken), ("version", programmeVersion),
            ("name", "12th JCM"), ("startDate", "2025-11-10"), ("endDate", "2025-11-13"), ("timeZone", "Asia/Shanghai"), ("areas", "health, agri-food"));
        Assert.Equal(HttpStatusCode.Redirect, programme.StatusCode);
        Assert.Equal("12th JCM", (await admin.GetJson($"/api/programmes/{world.Jcm.ProgrammeId}")).Str("name"));
    }

    [Fact]
    public async Task Errors_appear_beside_their_fields_and_a_stale_form_is_refused()
    {
        using var admin = new PlanningClient(fixture.App.AdminClient());
        var world = await UiWorld.Create(admin);
        using var browser = Browserish.Client(fixture.App);
        await Browserish.SignIn(browser, PlannerApp.AdminKey);

        var venuePath = $"/venues/{world.Jcm.Tsinghua}/edit";
        var venueToken = await Browserish.Token(browser, venuePath);
        var venueVersion = (await admin.GetJson($"/api/venues/{world.Jcm.Tsinghua}")).VersionText();
        using var venue = await Browserish.Post(browser, venuePath, ("__RequestVerificationToken", venueToken), ("version", venueVersion),
            ("name", "Tsinghua"), ("address", "Haidian"), ("city", "Beijing"), ("country", "Middle Kingdom"), ("timeZone", "Asia/Shanghai"),
            ("latitude", "40.0"), ("longitude", "116.3"));
        var venueHtml = await venue.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, venue.StatusCode);
        Assert.Contains("id=\"country-error\"", venueHtml, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"country-error\"", venueHtml, StringComparison.Ordinal);

        // Someone else renames the delegation after the form was read: saving the form is a 409, not a lost update.
        var delegationPath = $"/delegations/{world.Jcm.DelegationId}/edit";
        var delegationToken = await Browserish.Token(browser, delegationPath);
        var version = (await admin.GetJson($"/api/delegations/{world.Jcm.DelegationId}")).VersionText();
        (await admin.Patch($"/api/delegations/{world.Jcm.DelegationId}", new { name = "UK team" })).Ok();
        using var stale = await Browserish.Post(browser, delegationPath, ("__RequestVerificationToken", delegationToken), ("version", version),
            ("name", "United Kingdom"), ("country", "GB"));
        var staleHtml = await stale.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("has changed since you read it", staleHtml, StringComparison.Ordinal);
        Assert.Equal("UK team", (await admin.GetJson($"/api/delegations/{world.Jcm.DelegationId}")).Str("name"));
    }

    private static async Task<string> Html(HttpClient browser, string path)
    {
        using var page = await browser.GetAsync(new Uri(path, UriKind.Relative), Cancel);
        var html = await page.Content.ReadAsStringAsync(Cancel);
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)page.StatusCode}\n{html}");
        return html;
    }
}
