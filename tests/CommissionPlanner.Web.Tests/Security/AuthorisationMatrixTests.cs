using System.Net;
using System.Text;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CommissionPlanner.Web.Tests.Security;

/// <summary>Who may call a route. Combinations below are the contract's groups of roles.</summary>
[Flags]
public enum Who
{
    Nobody = 0,
    Admin = 1,
    Organiser = 2,
    Reviewer = 4,
    Delegate = 8,
    Viewer = 16,
    Anonymous = 32,

    /// <summary>Changes to the plan: ministry staff and organisers.</summary>
    Plan = Admin | Organiser,

    /// <summary>Programme-wide reads: every role but delegates, who see only themselves.</summary>
    Read = Admin | Organiser | Reviewer | Viewer,

    /// <summary>Organisers, or a delegate for themself (another person's answers 404).</summary>
    PlanOrSelf = Plan | Delegate,

    /// <summary>Every role; a delegate only for themself (another person's answers 404).</summary>
    AnyRole = Read | Delegate,

    /// <summary>No key needed: the URL is the secret, or it tells nothing.</summary>
    Public = AnyRole | Anonymous,
}

/// <summary>
/// The authorisation matrix: every route of the app, with which roles may call it, walked with a key of every role and
/// with none. Adding a route without adding its row here fails <see cref="Every_route_is_in_the_matrix_and_every_row_is_a_route"/>;
/// a route without an explicit policy fails <see cref="Every_route_names_its_policy_or_is_one_of_the_public_ones"/>.
/// docs/security.md shows this table for people; keep the two in step. <see cref="PageSessionMatrixTests"/> walks the
/// pages' rows again with browser sessions (cookies) instead of bearer keys.
/// </summary>
public sealed class AuthorisationMatrixTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    /// <summary>A route (method and pattern as the endpoint data source has them), who may call it, and a request to make.</summary>
    public sealed record Row(string Method, string Pattern, Who Allowed, string Request, string? Body = null);

    private const string Empty = "{}";

    // Placeholders in requests: {programme} {delegation} {venue} {engagement} {spareEngagement} {me} (the delegate's own
    // person) {other} {stay} {spareStay} {otherStay} {vehicle} {myFeed} {otherFeed} {feedFile} {replyToken} {spareReplyLink} {spareKey}.
    public static readonly Row[] Matrix =
    [
        // Keys
        new("POST", "/api/keys", Who.Admin, "/api/keys", Empty),
        new("GET", "/api/keys", Who.Admin, "/api/keys"),
        new("DELETE", "/api/keys/{id}", Who.Admin, "/api/keys/{spareKey}"),

        // Programmes, venues, delegations, people
        new("POST", "/api/programmes", Who.Plan, "/api/programmes", Empty),
        new("GET", "/api/programmes", Who.Read, "/api/programmes"),
        new("GET", "/api/programmes/{id}", Who.Read, "/api/programmes/{programme}"),
        new("PATCH", "/api/programmes/{id}", Who.Plan, "/api/programmes/{programme}", Empty),
        new("POST", "/api/programmes/{id}/delegations", Who.Plan, "/api/programmes/{programme}/delegations", Empty),
        new("GET", "/api/programmes/{id}/delegations", Who.Read, "/api/programmes/{programme}/delegations"),
        new("POST", "/api/venues", Who.Plan, "/api/venues", Empty),
        new("GET", "/api/venues", Who.Read, "/api/venues"),
        new("GET", "/api/venues/{id}", Who.Read, "/api/venues/{venue}"),
        new("PATCH", "/api/venues/{id}", Who.Plan, "/api/venues/{venue}", Empty),
        new("GET", "/api/delegations/{id}", Who.Read, "/api/delegations/{delegation}"),
        new("PATCH", "/api/delegations/{id}", Who.Plan, "/api/delegations/{delegation}", Empty),
        new("POST", "/api/delegations/{id}/members", Who.Plan, "/api/delegations/{delegation}/members", Empty),
        new("POST", "/api/delegations/{id}/members/import", Who.Plan, "/api/delegations/{delegation}/members/import?dryRun=true", Empty),
        new("GET", "/api/delegations/{id}/members/export", Who.Plan, "/api/delegations/{delegation}/members/export"),
        new("GET", "/api/people/{id}", Who.AnyRole, "/api/people/{me}"),
        new("PATCH", "/api/people/{id}", Who.Plan, "/api/people/{me}", Empty),
        new("GET", "/api/people/{id}/itinerary", Who.AnyRole, "/api/people/{me}/itinerary"),
        new("GET", "/api/people/{id}/logistics", Who.Plan, "/api/people/{me}/logistics"),
        new("PUT", "/api/people/{id}/logistics", Who.Plan, "/api/people/{me}/logistics", Empty),
        new("PUT", "/api/people/{id}/languages", Who.Plan, "/api/people/{me}/languages", Empty),

        // Engagements
        new("POST", "/api/programmes/{id}/engagements", Who.Plan, "/api/programmes/{programme}/engagements", Empty),
        new("GET", "/api/programmes/{id}/engagements", Who.Read, "/api/programmes/{programme}/engagements"),
        new("GET", "/api/programmes/{id}/conflicts", Who.Read, "/api/programmes/{programme}/conflicts"),
        new("GET", "/api/engagements/{id}", Who.Read, "/api/engagements/{engagement}"),
        new("PATCH", "/api/engagements/{id}", Who.Plan, "/api/engagements/{engagement}", Empty),
        new("POST", "/api/engagements/{id}/confirm", Who.Plan, "/api/engagements/{spareEngagement}/confirm", Empty),
        new("POST", "/api/engagements/{id}/cancel", Who.Plan, "/api/engagements/{spareEngagement}/cancel", """{"reason": "matrix test"}"""),
        new("POST", "/api/engagements/{id}/review", Who.Reviewer, "/api/engagements/{engagement}/review", Empty),
        new("GET", "/api/engagements/{id}/history", Who.Read, "/api/engagements/{engagement}/history"),

        // Attendees, replies, promotions
        new("POST", "/api/engagements/{id}/attendees", Who.Plan, "/api/engagements/{engagement}/attendees", Empty),
        new("GET", "/api/engagements/{id}/attendees", Who.Read, "/api/engagements/{engagement}/attendees"),
        new("PATCH", "/api/engagements/{id}/attendees/{personId}", Who.PlanOrSelf, "/api/engagements/{engagement}/attendees/{me}", """{"response": "accepted"}"""),
        new("DELETE", "/api/engagements/{id}/attendees/{personId}", Who.Plan, "/api/engagements/{spareEngagement}/attendees/{me}"),
        new("POST", "/api/engagements/{id}/attendees/{personId}/reply-link", Who.Plan, "/api/engagements/{engagement}/attendees/{other}/reply-link"),
        new("DELETE", "/api/reply-links/{id}", Who.Plan, "/api/reply-links/{spareReplyLink}"),
        new("GET", "/api/engagements/{id}/promotions", Who.Read, "/api/engagements/{engagement}/promotions"),
        new("GET", "/reply/{token}", Who.Public, "/reply/{replyToken}"),
        new("POST", "/reply/{token}", Who.Public, "/reply/{replyToken}", """{"response": "tentative"}"""),

        // Lists
        new("GET", "/api/delegations/{id}/matrix", Who.Read, "/api/delegations/{delegation}/matrix"),
        new("GET", "/api/programmes/{id}/attendance-summary", Who.Read, "/api/programmes/{programme}/attendance-summary"),
        new("GET", "/api/engagements/{id}/access-list", Who.Plan, "/api/engagements/{engagement}/access-list"),

        // Import and export
        new("POST", "/api/programmes/import", Who.Plan, "/api/programmes/import", Empty),
        new("GET", "/api/programmes/{id}/export", Who.Read, "/api/programmes/{programme}/export"),

        // Hotels and transfers (docs/logistics.md): vehicles carry the driver's phone, so delegates never read them
        new("POST", "/api/programmes/{id}/room-blocks", Who.Plan, "/api/programmes/{programme}/room-blocks", Empty),
        new("GET", "/api/programmes/{id}/room-blocks", Who.Read, "/api/programmes/{programme}/room-blocks"),
        new("GET", "/api/programmes/{id}/stays", Who.Read, "/api/programmes/{programme}/stays"),
        new("GET", "/api/programmes/{id}/rooming-list", Who.Read, "/api/programmes/{programme}/rooming-list"),
        new("POST", "/api/programmes/{id}/vehicles", Who.Plan, "/api/programmes/{programme}/vehicles", Empty),
        new("GET", "/api/programmes/{id}/vehicles", Who.Read, "/api/programmes/{programme}/vehicles"),
        new("POST", "/api/people/{id}/stays", Who.Plan, "/api/people/{me}/stays", Empty),
        new("GET", "/api/people/{id}/stays", Who.AnyRole, "/api/people/{me}/stays"),
        new("GET", "/api/stays/{id}", Who.AnyRole, "/api/stays/{stay}"),
        new("PATCH", "/api/stays/{id}", Who.Plan, "/api/stays/{stay}", Empty),
        new("DELETE", "/api/stays/{id}", Who.Plan, "/api/stays/{spareStay}"),
        new("POST", "/api/stays/{id}/review", Who.Reviewer, "/api/stays/{stay}/review", Empty),
        new("GET", "/api/vehicles/{id}", Who.Read, "/api/vehicles/{vehicle}"),
        new("PATCH", "/api/vehicles/{id}", Who.Plan, "/api/vehicles/{vehicle}", Empty),
        new("GET", "/api/vehicles/{id}/manifest", Who.Read, "/api/vehicles/{vehicle}/manifest"),

        // Notifications (with no mail server configured here, sending answers 409: allowed, nothing to send through)
        new("GET", "/api/programmes/{id}/notifications", Who.Plan, "/api/programmes/{programme}/notifications"),
        new("POST", "/api/programmes/{id}/notifications/send", Who.Plan, "/api/programmes/{programme}/notifications/send", Empty),

        // Feeds
        new("POST", "/api/people/{id}/feeds", Who.PlanOrSelf, "/api/people/{me}/feeds", Empty),
        new("POST", "/api/delegations/{id}/feeds", Who.Plan, "/api/delegations/{delegation}/feeds", Empty),
        new("POST", "/api/programmes/{id}/feeds", Who.Plan, "/api/programmes/{programme}/feeds", Empty),
        new("POST", "/api/engagements/{id}/feeds", Who.Plan, "/api/engagements/{engagement}/feeds", Empty),
        new("GET", "/api/feeds", Who.Plan, "/api/feeds"),
        new("GET", "/api/feeds/{id}", Who.PlanOrSelf, "/api/feeds/{myFeed}"),
        new("POST", "/api/feeds/{id}/rotate", Who.PlanOrSelf, "/api/feeds/{myFeed}/rotate"),
        new("DELETE", "/api/feeds/{id}", Who.PlanOrSelf, "/api/feeds/{myFeed}"),
        new("GET", "/api/engagements/{id}/ics", Who.Read, "/api/engagements/{engagement}/ics"),
        new("GET", "/feeds/{file}", Who.Public, "/feeds/{feedFile}"),
        new("HEAD", "/feeds/{file}", Who.Public, "/feeds/{feedFile}"),

        // Audit
        new("GET", "/api/audit", Who.Admin, "/api/audit"),

        // Operations
        new("GET", "/api/admin/cluster", Who.Admin, "/api/admin/cluster"),
        new("*", "/health/live", Who.Public, "/health/live"),
        new("*", "/health/ready", Who.Public, "/health/ready"),
        new("*", "/health/feeds", Who.Public, "/health/feeds"),
        new("GET", "/openapi/{documentName}.json", Who.Public, "/openapi/v1.json"),

        // Web interface (Razor Pages, docs/web-ui.md): a page answers every method (its handlers pick GET or POST), so "*".
        // Signed in by cookie or, as here, a bearer key; without either a browser is sent to /sign-in and anything else gets 401.
        new("*", "/sign-in", Who.Public, "/sign-in"),
        new("*", "/sign-out", Who.AnyRole, "/sign-out"),
        // The language switch: anyone, signed in or not (the sign-in page has it too); a GET goes back home.
        new("*", "/language", Who.Public, "/language"),
        new("*", "/", Who.AnyRole, "/"),
        new("*", "/programmes/{id:guid}", Who.Read, "/programmes/{programme}"),
        new("*", "/programmes/new", Who.Plan, "/programmes/new"),
        new("*", "/programmes/{id:guid}/edit", Who.Plan, "/programmes/{programme}/edit"),
        new("*", "/programmes/{id:guid}/notifications", Who.Plan, "/programmes/{programme}/notifications"),
        new("*", "/venues/new", Who.Plan, "/venues/new"),
        new("*", "/venues/{id:guid}/edit", Who.Plan, "/venues/{venue}/edit"),
        new("*", "/programmes/{id:guid}/delegations/new", Who.Plan, "/programmes/{programme}/delegations/new"),
        new("*", "/delegations/{id:guid}/members/new", Who.Plan, "/delegations/{delegation}/members/new"),
        new("*", "/delegations/{id:guid}/members/import", Who.Plan, "/delegations/{delegation}/members/import"),
        new("*", "/programmes/{id:guid}/engagements/new", Who.Plan, "/programmes/{programme}/engagements/new"),
        new("*", "/engagements/{id:guid}", Who.Read, "/engagements/{engagement}"),
        new("*", "/engagements/{id:guid}/edit", Who.Plan, "/engagements/{engagement}/edit"),
        new("*", "/people/{id:guid}", Who.AnyRole, "/people/{me}"),
        new("*", "/people/{id:guid}/edit", Who.Plan, "/people/{me}/edit"),
        new("*", "/people/{id:guid}/print", Who.AnyRole, "/people/{me}/print"),
        new("*", "/delegations/{id:guid}", Who.Read, "/delegations/{delegation}"),
        new("*", "/delegations/{id:guid}/edit", Who.Plan, "/delegations/{delegation}/edit"),
        new("*", "/delegations/{id:guid}/print", Who.Read, "/delegations/{delegation}/print"),
        new("*", "/programmes/{id:guid}/transfers", Who.Read, "/programmes/{programme}/transfers"),
        new("*", "/programmes/{id:guid}/rooming-list", Who.Read, "/programmes/{programme}/rooming-list"),
        new("*", "/vehicles/{id:guid}/manifest", Who.Read, "/vehicles/{vehicle}/manifest"),
        new("*", "/delegations/{id:guid}/stays", Who.Read, "/delegations/{delegation}/stays"),
        new("*", "/import", Who.Plan, "/import"),
        new("*", "/import/{job:guid}", Who.Plan, "/import/00000000-0000-0000-0000-000000000001"),
    ];

    /// <summary>The only routes that need no credentials.</summary>
    private static readonly HashSet<string> AnonymousRoutes =
    [
        "* /health/live", "* /health/ready", "* /health/feeds", "GET /openapi/{documentName}.json", "GET /feeds/{file}", "HEAD /feeds/{file}",
        "GET /reply/{token}", "POST /reply/{token}", "* /sign-in", "* /language",
    ];

    /// <summary>Routes whose person (or feed) a delegate may name only when it is themself; another person's answers 404.</summary>
    internal static readonly (string Method, string Request, string? Body)[] DelegateScoped =
    [
        ("GET", "/api/people/{other}", null),
        ("GET", "/api/people/{other}/itinerary", null),
        ("GET", "/api/people/{other}/stays", null),
        ("GET", "/api/stays/{otherStay}", null),
        ("PATCH", "/api/engagements/{engagement}/attendees/{other}", """{"response": "accepted"}"""),
        ("POST", "/api/people/{other}/feeds", Empty),
        ("GET", "/api/feeds/{otherFeed}", null),
        ("POST", "/api/feeds/{otherFeed}/rotate", null),
        ("DELETE", "/api/feeds/{otherFeed}", null),
        ("GET", "/people/{other}", null),
        ("GET", "/people/{other}/print", null),
    ];

    private static readonly Who[] Callers = [Who.Anonymous, Who.Viewer, Who.Reviewer, Who.Delegate, Who.Organiser, Who.Admin];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Every_route_names_its_policy_or_is_one_of_the_public_ones()
    {
        var problems = new List<string>();
        foreach (var (route, endpoint) in Routes())
        {
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var named = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()
                .Any(a => !string.IsNullOrWhiteSpace(a.Policy) || !string.IsNullOrWhiteSpace(a.Roles));
            if (anonymous && !AnonymousRoutes.Contains(route))
            {
                problems.Add($"{route} allows anonymous callers but is not one of the public routes.");
            }
            else if (!anonymous && !named)
            {
                problems.Add($"{route} has no explicit policy: add .RequireAuthorization(Policies.…) (the fallback policy is a safety net, not a decision).");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        var mapped = Routes().Select(r => r.Route).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(AnonymousRoutes, mapped);
    }

    [Fact]
    public void Every_route_is_in_the_matrix_and_every_row_is_a_route()
    {
        var mapped = Routes().Select(r => r.Route).ToHashSet(StringComparer.Ordinal);
        var listed = Matrix.Select(r => $"{r.Method} {r.Pattern}").ToList();
        var duplicates = listed.GroupBy(r => r, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var unlisted = mapped.Except(listed, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var stale = listed.Except(mapped, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Assert.True(unlisted.Count == 0,
            "Routes missing from AuthorisationMatrixTests.Matrix (add a row saying which roles may call each, and update docs/security.md): "
            + string.Join(", ", unlisted));
        Assert.True(stale.Count == 0, "Rows in AuthorisationMatrixTests.Matrix for routes that do not exist: " + string.Join(", ", stale));
        Assert.Empty(duplicates);
        Assert.All(Matrix.Where(r => (r.Allowed & Who.Anonymous) != 0), r => Assert.Contains($"{r.Method} {r.Pattern}", AnonymousRoutes));
    }

    [Fact]
    public async Task Every_route_answers_each_role_as_the_matrix_says()
    {
        using var admin = new PlanningClient(fixture.App.AdminClient());
        var world = await World.Create(admin);
        var keys = await world.Keys(admin);

        var failures = new List<string>();
        // Refusals first, so that a write a role may not make cannot change what the allowed roles then see.
        foreach (var row in Matrix)
        {
            foreach (var caller in Callers.OrderBy(c => (row.Allowed & c) != 0))
            {
                using var client = fixture.App.ClientWithKey(keys[caller]);
                var status = await Send(client, row.Method == "*" ? "GET" : row.Method, world.Fill(row.Request), row.Body);
                var allowed = (row.Allowed & caller) != 0;
                var expected = allowed ? "not 401/403 nor 5xx" : caller == Who.Anonymous ? "401" : "403";
                var ok = allowed
                    ? status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)status < 500
                    : status == (caller == Who.Anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden);
                if (!ok)
                {
                    failures.Add($"{row.Method} {row.Pattern} as {caller}: {(int)status} {status}, expected {expected}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task A_delegate_naming_another_person_gets_404_on_every_person_scoped_route()
    {
        using var admin = new PlanningClient(fixture.App.AdminClient());
        var world = await World.Create(admin);
        using var delegateClient = fixture.App.ClientWithKey(await admin.CreateKey("matrix delegate", "delegate", world.Values["me"]));

        var failures = new List<string>();
        foreach (var (method, request, body) in DelegateScoped)
        {
            var status = await Send(delegateClient, method, world.Fill(request), body);
            if (status != HttpStatusCode.NotFound)
            {
                failures.Add($"{method} {request} as the delegate of another person: {(int)status} {status}, expected 404");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        // The other person's feed still works: nothing the delegate sent changed it.
        Assert.Equal(HttpStatusCode.OK, await Send(admin.Http, "GET", world.Fill("/api/feeds/{otherFeed}"), null));
    }

    /// <summary>Every route endpoint, as "METHOD pattern" ("*" when it answers any method), one entry per method.</summary>
    private List<(string Route, RouteEndpoint Endpoint)> Routes()
    {
        var source = fixture.App.Services.GetRequiredService<EndpointDataSource>();
        var routes = new List<(string, RouteEndpoint)>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? string.Empty;
            pattern = "/" + pattern.Trim('/');
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            foreach (var method in methods.Count == 0 ? ["*"] : methods)
            {
                routes.Add(($"{method} {pattern}", endpoint));
            }
        }

        return routes;
    }

    private static async Task<HttpStatusCode> Send(HttpClient client, string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, Cancel);
        return response.StatusCode;
    }

    /// <summary>A small programme with real ids for every placeholder of the matrix.</summary>
    internal sealed class World
    {
        public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

        public string Fill(string request)
        {
            foreach (var (name, value) in Values)
            {
                request = request.Replace("{" + name + "}", value, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("{", request, StringComparison.Ordinal);
            return request;
        }

        /// <summary>A key of each role (none for anonymous); the delegate's is bound to <c>{me}</c>.</summary>
        public async Task<Dictionary<Who, string?>> Keys(PlanningClient admin) => new()
        {
            [Who.Anonymous] = null,
            [Who.Admin] = PlannerApp.AdminKey,
            [Who.Organiser] = await admin.CreateKey("matrix organiser", "organiser"),
            [Who.Reviewer] = await admin.CreateKey("matrix reviewer", "reviewer"),
            [Who.Viewer] = await admin.CreateKey("matrix viewer", "viewer"),
            [Who.Delegate] = await admin.CreateKey("matrix delegate", "delegate", Values["me"]),
        };

        public static async Task<World> Create(PlanningClient admin)
        {
            var world = new World();
            var values = world.Values;
            var jcm = await Jcm.SetUp(admin);
            values["programme"] = jcm.ProgrammeId;
            values["delegation"] = jcm.DelegationId;
            values["venue"] = jcm.Diaoyutai;
            var me = values["me"] = await jcm.NewDelegate(admin, "Professor Catherine Oduya");
            var other = values["other"] = await jcm.NewDelegate(admin, "Professor Rajiv Sandhu");

            var engagement = values["engagement"] = (await admin.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:00", "Plenary")).Id();
            var spare = values["spareEngagement"] = (await admin.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-12T10:00", "2025-11-12T12:00", "Site visit", kind: "site-visit")).Id();
            await admin.AddAttendee(engagement, me);
            await admin.AddAttendee(engagement, other);
            await admin.AddAttendee(spare, me);

            var hotel = (await admin.CreateVenue(Jcm.Venue("Wenjin Hotel", "文津国际酒店", "1 Zhongguancun East Road, Haidian District, Beijing",
                "Beijing", "CN", "Asia/Shanghai", 39.9995, 116.3264, null))).Id();
            values["stay"] = (await admin.Post($"/api/people/{me}/stays", new { hotelId = hotel, checkIn = "2025-11-10", checkOut = "2025-11-12" })).Created().Id();
            values["spareStay"] = (await admin.Post($"/api/people/{me}/stays", new { hotelId = hotel, checkIn = "2025-11-12", checkOut = "2025-11-13" })).Created().Id();
            values["otherStay"] = (await admin.Post($"/api/people/{other}/stays", new { hotelId = hotel, checkIn = "2025-11-10", checkOut = "2025-11-12" })).Created().Id();
            values["vehicle"] = (await admin.Post($"/api/programmes/{jcm.ProgrammeId}/vehicles", new { label = "Car 1", seats = 4 })).Created().Id();

            values["myFeed"] = (await admin.Post($"/api/people/{me}/feeds", new { })).Created().Id();
            values["otherFeed"] = (await admin.Post($"/api/people/{other}/feeds", new { })).Created().Id();
            values["feedFile"] = LastSegment((await admin.Post($"/api/programmes/{jcm.ProgrammeId}/feeds", new { })).Created().Str("url"));
            values["replyToken"] = LastSegment((await admin.Post($"/api/engagements/{engagement}/attendees/{me}/reply-link", null)).Created().Str("url"));
            values["spareReplyLink"] = (await admin.Post($"/api/engagements/{spare}/attendees/{me}/reply-link", null)).Created().Id();
            values["spareKey"] = (await admin.Post("/api/keys", new { name = "matrix spare", role = "viewer" })).Created().Id();
            return world;
        }

        private static string LastSegment(string url) => new Uri(url).Segments[^1];
    }
}
