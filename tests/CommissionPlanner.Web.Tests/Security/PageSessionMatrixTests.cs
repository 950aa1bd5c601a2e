using System.Net;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;
using CommissionPlanner.Web.Tests.Ui;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CommissionPlanner.Web.Tests.Security;

/// <summary>
/// Every Razor page, as a browser sees it: walked with a signed-in session (the cookie, not a bearer key) of each role and
/// with none, by the rows of <see cref="AuthorisationMatrixTests.Matrix"/>. The pages are found in the endpoint data source,
/// so a new page without a row fails <see cref="Every_page_has_a_row_in_the_matrix"/>.
/// </summary>
public sealed class PageSessionMatrixTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static readonly Who[] Callers = [Who.Anonymous, Who.Viewer, Who.Reviewer, Who.Delegate, Who.Organiser, Who.Admin];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Every_page_has_a_row_in_the_matrix()
    {
        var rows = AuthorisationMatrixTests.Matrix.Select(r => r.Pattern).ToHashSet(StringComparer.Ordinal);
        var missing = Pages().Where(page => !rows.Contains(page)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0,
            "Pages missing from AuthorisationMatrixTests.Matrix (add a row saying which roles may open each, and update docs/web-ui.md and docs/security.md): "
            + string.Join(", ", missing));
        Assert.NotEmpty(PageRows());
    }

    [Fact]
    public async Task Every_page_answers_each_role_signed_in_by_cookie_as_the_matrix_says()
    {
        using var admin = new PlanningClient(fixture.App.AdminClient());
        var world = await AuthorisationMatrixTests.World.Create(admin);
        var keys = await world.Keys(admin);

        var failures = new List<string>();
        foreach (var caller in Callers)
        {
            using var browser = Browserish.Client(fixture.App);
            if (keys[caller] is { } key)
            {
                await Browserish.SignIn(browser, key);
            }

            foreach (var row in PageRows())
            {
                using var response = await browser.GetAsync(new Uri(world.Fill(row.Request), UriKind.Relative), Cancel);
                var status = response.StatusCode;
                var location = response.Headers.Location;
                var toSignIn = status == HttpStatusCode.Redirect && location is not null
                    && (location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString).StartsWith("/sign-in", StringComparison.Ordinal);
                var allowed = (row.Allowed & caller) != 0;
                // Allowed: the page (or where it sends this caller, such as a delegate's start page to their itinerary), never
                // a refusal, a sign-in redirect or a server error. Refused: a browser without a session is sent to sign in; a
                // signed-in role that may not see the page gets the 403 page.
                var ok = allowed
                    ? !toSignIn && status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)status < 500
                    : caller == Who.Anonymous ? toSignIn : status == HttpStatusCode.Forbidden;
                if (!ok)
                {
                    var expected = allowed ? "the page" : caller == Who.Anonymous ? "a redirect to /sign-in" : "403";
                    failures.Add($"GET {row.Pattern} as {caller} (cookie session): {(int)status} {response.Headers.Location}, expected {expected}");
                }
            }
        }

        // A delegate's session naming someone else's page: 404, as if that person did not exist.
        using (var delegateBrowser = Browserish.Client(fixture.App))
        {
            await Browserish.SignIn(delegateBrowser, keys[Who.Delegate]!);
            foreach (var (method, request, _) in AuthorisationMatrixTests.DelegateScoped.Where(d => !d.Request.StartsWith("/api/", StringComparison.Ordinal)))
            {
                using var response = await delegateBrowser.GetAsync(new Uri(world.Fill(request), UriKind.Relative), Cancel);
                if (response.StatusCode != HttpStatusCode.NotFound)
                {
                    failures.Add($"{method} {request} as the delegate of another person (cookie session): {(int)response.StatusCode}, expected 404");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private List<AuthorisationMatrixTests.Row> PageRows()
    {
        var pages = Pages();
        return AuthorisationMatrixTests.Matrix.Where(r => pages.Contains(r.Pattern)).ToList();
    }

    /// <summary>Every Razor page's route pattern, as the matrix writes it ("/programmes/{id:guid}").</summary>
    private HashSet<string> Pages() =>
        fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => "/" + (e.RoutePattern.RawText ?? string.Empty).Trim('/'))
            .ToHashSet(StringComparer.Ordinal);
}
