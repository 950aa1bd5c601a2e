using System.Net;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Ui;

/// <summary>The web interface over plain HTTP: sign-in, redirects, the 403 page, antiforgery and form validation.</summary>
public sealed class UiHttpTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_stylesheets_and_scripts_are_served_to_anyone_from_their_folders()
    {
        using var anonymous = fixture.App.CreateClient();
        foreach (var (path, type) in new[] { ("/css/site.css", "text/css"), ("/css/print.css", "text/css"), ("/js/import-status.js", "text/javascript") })
        {
            using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative), Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_page_without_a_session_redirects_a_browser_to_sign_in_and_answers_401_to_anything_else()
    {
        using var browser = Browserish.Client(fixture.App);
        using var page = await browser.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/sign-in", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        using var script = fixture.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var plain = await script.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, plain.StatusCode);
    }

    [Fact]
    public async Task Signing_in_with_a_key_sets_a_strict_http_only_cookie_that_opens_the_pages_but_not_the_api()
    {
        using var browser = Browserish.Client(fixture.App);
        var token = await Browserish.Token(browser, "/sign-in");
        using (var wrong = await Browserish.Post(browser, "/sign-in", ("__RequestVerificationToken", token), ("key", "not-a-key")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("not known", await wrong.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        }

        using var response = await Browserish.Post(browser, "/sign-in", ("__RequestVerificationToken", token), ("key", PlannerApp.AdminKey));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("planner.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var home = await browser.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("default-src 'self'", home.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        // The cookie is no credential for the API: /api stays bearer-only, so no API request can be forged cross-site.
        using var apiRequest = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/programmes", UriKind.Relative));
        apiRequest.Headers.Accept.Clear();
        apiRequest.Headers.Accept.ParseAdd("application/json");
        using var api = await browser.SendAsync(apiRequest, Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);

        // Sign out ends the session.
        var signOutToken = await Browserish.Token(browser, "/");
        using var signOut = await Browserish.Post(browser, "/sign-out", ("__RequestVerificationToken", signOutToken));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        using var after = await browser.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task A_role_without_access_gets_the_403_page()
    {
        using var admin = new PlanningClient(fixture.App.AdminClient());
        var viewerKey = await admin.CreateKey("ui viewer", "viewer");
        using var browser = Browserish.Client(fixture.App);
        await Browserish.SignIn(browser, viewerKey);

        using var page = await browser.GetAsync(new Uri("/programmes/new", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("You may not do that", await page.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_refused()
    {
        using var browser = Browserish.Client(fixture.App);
        await Browserish.SignIn(browser, PlannerApp.AdminKey);
        using var response = await Browserish.Post(browser, "/programmes/new",
            ("name", "Forged"), ("startDate", "2025-11-10"), ("endDate", "2025-11-14"), ("timeZone", "Asia/Shanghai"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var admin = new PlanningClient(fixture.App.AdminClient());
        Assert.DoesNotContain("Forged", (await admin.GetJson("/api/programmes")).GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Form_errors_from_the_domain_specs_appear_beside_their_fields()
    {
        using var admin = new PlanningClient(fixture.App.AdminClient());
        var world = await UiWorld.Create(admin);
        using var browser = Browserish.Client(fixture.App);
        await Browserish.SignIn(browser, PlannerApp.AdminKey);

        var path = $"/programmes/{world.Jcm.ProgrammeId}/engagements/new";
        var token = await Browserish.Token(browser, path);
        using var response = await Browserish.Post(browser, path, ("__RequestVerificationToken", token),
            ("Form.Kind", "meeting"), ("Form.Title", ""), ("Form.VenueId", world.Jcm.Tsinghua),
            ("Form.Start", "2025-11-11T10:00"), ("Form.End", "2025-11-11T09:00"));
        var html = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("id=\"title-error\"", html, StringComparison.Ordinal);
        Assert.Contains("is required.", html, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"title-error\"", html, StringComparison.Ordinal);

        // With a title, the times are checked: an end before the start is refused beside the end field.
        var retryToken = await Browserish.Token(browser, path);
        using var retry = await Browserish.Post(browser, path, ("__RequestVerificationToken", retryToken),
            ("Form.Kind", "meeting"), ("Form.Title", "Bilateral"), ("Form.VenueId", world.Jcm.Tsinghua),
            ("Form.Start", "2025-11-11T10:00"), ("Form.End", "2025-11-11T09:00"));
        var retryHtml = await retry.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, retry.StatusCode);
        Assert.Contains("id=\"end-error\"", retryHtml, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"end-error\"", retryHtml, StringComparison.Ordinal);

        // The programme form: the same messages as POST /api/programmes.
        var programmeToken = await Browserish.Token(browser, "/programmes/new");
        using var programme = await Browserish.Post(browser, "/programmes/new", ("__RequestVerificationToken", programmeToken),
            ("name", "JCM"), ("startDate", "2025-11-14"), ("endDate", "2025-11-10"), ("timeZone", "Mars/Olympus"));
        var programmeHtml = await programme.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, programme.StatusCode);
        Assert.Contains("id=\"endDate-error\"", programmeHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"timeZone-error\"", programmeHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delegate_sees_their_own_page_and_nobody_elses()
    {
        using var admin = new PlanningClient(fixture.App.AdminClient());
        var world = await UiWorld.Create(admin);
        using var browser = Browserish.Client(fixture.App);
        await Browserish.SignIn(browser, await admin.CreateKey("ui delegate", "delegate", world.Wang));

        using var home = await browser.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        Assert.Equal($"/people/{world.Wang}", home.Headers.Location!.OriginalString);
        using var mine = await browser.GetAsync(home.Headers.Location, Cancel);
        var html = await mine.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Contains($"lang=\"zh\" class=\"local-name\">{UiWorld.WangName}", html, StringComparison.Ordinal);
        using var other = await browser.GetAsync(new Uri($"/people/{world.Ellery}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }
}
