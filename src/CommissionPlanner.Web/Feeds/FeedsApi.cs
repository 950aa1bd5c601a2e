using CommissionPlanner.Web.Operations;
using System.Globalization;
using System.Security.Claims;
using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Hosting;
using CommissionPlanner.Web.Lists;
using CommissionPlanner.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using NodaTime;

namespace CommissionPlanner.Web.Feeds;

/// <remarks><see cref="Language"/>: <c>en</c> (default), <c>zh</c> or <c>both</c>.</remarks>
public sealed record CreateFeedInput(string? Detail, string? Language = null);

/// <summary>A feed as the API shows it. <c>url</c> and <c>webcalUrl</c> appear only in the answer that creates it.</summary>
public sealed record FeedResource(
    Guid Id, string Scope, Guid SubjectId, Guid ProgrammeId, string Detail, string CreatedAt, string CreatedBy, string? RevokedAt,
    string? LastFetchedAt, string? LastUserAgent, long FetchCount, string? ContentChangedAt, string? Url = null, string? WebcalUrl = null,
    string Language = "en");

public static class FeedsApi
{
    /// <summary>Names a feed answered from a silo's memory while PostgreSQL cannot be reached (with <c>Age</c>).</summary>
    public const string StaleHeader = "X-Planner-Stale";

    /// <summary>
    /// A calendar poll's path (<c>/feeds/{file}</c>): the middleware a poll does not use (the UI's languages and static
    /// files) is skipped for it.
    /// </summary>
    internal static bool IsPoll(PathString path) => path.StartsWithSegments("/feeds");

    public static IServiceCollection AddFeeds(this IServiceCollection services)
    {
        services.AddOptions<FeedSettings>().BindConfiguration(FeedSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddMemoryCache(cache => cache.SizeLimit = 256L * 1024 * 1024);
        services.AddSingleton<FeedService>();
        return services;
    }

    public static IEndpointRouteBuilder MapFeeds(this IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        var feeds = api.MapGroup("").WithTags("Feeds");
        // A delegate may make and revoke feeds of their own itinerary, so that route checks the caller inside.
        feeds.MapPost("/people/{id}/feeds", (string id, CreateFeedInput? body, HttpContext http, ClaimsPrincipal user, IDbContextFactory<PlannerDbContext> db, IClock clock, IOptions<PlannerOptions> options, CancellationToken ct) =>
            Create(FeedScopes.Person, id, body, http, user, db, clock, options, ct)).RequireAuthorization(Policies.PlanOrSelf).WithName("CreatePersonFeed").WithMetadata(OneTimeSecretAnswer.Instance);
        feeds.MapPost("/delegations/{id}/feeds", (string id, CreateFeedInput? body, HttpContext http, ClaimsPrincipal user, IDbContextFactory<PlannerDbContext> db, IClock clock, IOptions<PlannerOptions> options, CancellationToken ct) =>
            Create(FeedScopes.Delegation, id, body, http, user, db, clock, options, ct)).RequireAuthorization(Policies.Plan).WithName("CreateDelegationFeed").WithMetadata(OneTimeSecretAnswer.Instance);
        feeds.MapPost("/programmes/{id}/feeds", (string id, CreateFeedInput? body, HttpContext http, ClaimsPrincipal user, IDbContextFactory<PlannerDbContext> db, IClock clock, IOptions<PlannerOptions> options, CancellationToken ct) =>
            Create(FeedScopes.Programme, id, body, http, user, db, clock, options, ct)).RequireAuthorization(Policies.Plan).WithName("CreateProgrammeFeed").WithMetadata(OneTimeSecretAnswer.Instance);
        feeds.MapPost("/engagements/{id}/feeds", (string id, CreateFeedInput? body, HttpContext http, ClaimsPrincipal user, IDbContextFactory<PlannerDbContext> db, IClock clock, IOptions<PlannerOptions> options, CancellationToken ct) =>
            Create(FeedScopes.Engagement, id, body, http, user, db, clock, options, ct)).RequireAuthorization(Policies.Plan).WithName("CreateEngagementFeed").WithMetadata(OneTimeSecretAnswer.Instance);

        feeds.MapGet("/feeds", List).RequireAuthorization(Policies.Plan).WithName("ListFeeds")
            .WithSummary("Feeds in the order they were made, optionally for one subject (?subjectId=), with when each was last fetched; " +
                "limit (1-1000) and cursor page it: a Link header with rel=\"next\" names the next page while there is one.");
        feeds.MapGet("/feeds/{id}", Get).RequireAuthorization(Policies.PlanOrSelf).WithName("GetFeed");
        feeds.MapDelete("/feeds/{id}", Revoke).RequireAuthorization(Policies.PlanOrSelf).WithName("RevokeFeed").WithSummary("Revoke: the URL then answers 404, like an unknown token.");
        feeds.MapPost("/feeds/{id}/rotate", Rotate).RequireAuthorization(Policies.PlanOrSelf).WithName("RotateFeed").WithMetadata(OneTimeSecretAnswer.Instance).WithSummary("Revoke a feed and make a new URL for the same subject in one call.");

        api.MapGet("/engagements/{id}/ics", DownloadEngagement).RequireAuthorization(Policies.ReadProgramme).WithTags("Feeds")
            .WithName("DownloadEngagementIcs").WithSummary("One engagement as an .ics file, for 'add to my calendar'.");

        // Not under /api: the URL itself is the secret. GET and HEAD. Short-circuited: routing answers a poll where it runs
        // (Program.cs), after the security headers, the exception handler and the limits per client address, and before
        // authentication, authorisation and the rest, which a poll carrying no credentials does not need (docs/performance.md).
        var services = app.ServiceProvider;
        var serve = Serve(services.GetRequiredService<FeedService>(), services.GetRequiredService<FeedPollLimits>(),
            services.GetRequiredService<IOptions<PlannerOptions>>().Value, services.GetRequiredService<IClock>(), services.GetRequiredService<CalendarPolls>());
        app.MapMethods("/feeds/{file}", [HttpMethods.Get, HttpMethods.Head], serve).AllowAnonymous().ShortCircuit().WithTags("Feeds").WithName("ServeFeed");
        return app;
    }

    internal static async Task<IResult> Create(
        string scope, string id, CreateFeedInput? body, HttpContext http, ClaimsPrincipal user, IDbContextFactory<PlannerDbContext> dbFactory,
        IClock clock, IOptions<PlannerOptions> options, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var subjectId))
        {
            return Problems.NotFound(scope);
        }

        if (scope == FeedScopes.Person && !MayManagePersonFeed(user, subjectId))
        {
            return user.IsInRole(Roles.Delegate) ? Problems.NotFound(scope) : Forbidden();
        }

        var detail = body?.Detail ?? "full";
        if (detail is not ("full" or "busy"))
        {
            return Problems.BadRequest("detail", "'detail' must be 'full' or 'busy'.");
        }

        var language = body?.Language ?? "en";
        if (!FeedLanguages.WireNames.Contains(language))
        {
            return Problems.BadRequest("language", "'language' must be 'en', 'zh' or 'both'.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var programmeId = await ProgrammeOf(db, scope, subjectId, ct);
        if (programmeId is null)
        {
            return Problems.NotFound(scope);
        }

        var token = UrlTokens.NewToken();
        var feed = new FeedRecord
        {
            Id = Guid.CreateVersion7(), Scope = scope, SubjectId = subjectId, ProgrammeId = programmeId.Value, Detail = detail, Language = language,
            TokenHash = UrlTokens.Hash(token), CreatedAt = clock.GetCurrentInstant(), CreatedBy = user.Actor(),
        };
        db.Feeds.Add(feed);
        db.Audit(http.ToChangeActor(), feed.CreatedAt, "feed", feed.Id, feed.ProgrammeId, "created", null, FeedSnapshot(feed));
        await db.SaveChangesAsync(ct);
        http.RequestServices.GetRequiredService<FeedService>().RenderAhead(feed.Id, BaseUrl(http, options.Value));
        return Created(feed, token, http, options.Value);
    }

    internal static async Task<IResult> List(
        string? subjectId, int? limit, string? cursor, HttpContext http, IDbContextFactory<PlannerDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Feeds.AsNoTracking();
        if (subjectId is not null)
        {
            if (!Guid.TryParse(subjectId, out var subject))
            {
                return Problems.BadRequest("subjectId", "'subjectId' must be a UUID.");
            }

            query = query.Where(f => f.SubjectId == subject);
        }

        var errors = new FieldErrors();
        var page = Paging.ParseKeyset<CreatedKey>(limit, cursor, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (page?.After is { } after)
        {
            query = query.Where(f => EF.Functions.GreaterThan(ValueTuple.Create(f.CreatedAt, f.Id), ValueTuple.Create(after.CreatedAt, after.Id)));
        }

        var feeds = await Paging.Take(query.OrderBy(f => f.CreatedAt).ThenBy(f => f.Id), page).ToListAsync(ct);
        var next = Paging.Cut(feeds, page, f => new CreatedKey(f.CreatedAt, f.Id));
        return TypedResults.Ok(Paging.Answer(http, Paging.Result(feeds.Select(f => ToResource(f)).ToList(), page, next)));
    }

    private static async Task<IResult> Get(string id, ClaimsPrincipal user, IDbContextFactory<PlannerDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var feed = Guid.TryParse(id, out var feedId) ? await db.Feeds.AsNoTracking().SingleOrDefaultAsync(f => f.Id == feedId, ct) : null;
        return feed is not null && MayManage(user, feed) ? TypedResults.Ok(ToResource(feed)) : Problems.NotFound("feed");
    }

    internal static async Task<IResult> Revoke(string id, ClaimsPrincipal user, HttpContext http, IDbContextFactory<PlannerDbContext> dbFactory, IClock clock, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var feed = Guid.TryParse(id, out var feedId) ? await db.Feeds.SingleOrDefaultAsync(f => f.Id == feedId, ct) : null;
        if (feed is null || !MayManage(user, feed))
        {
            return Problems.NotFound("feed");
        }

        if (feed.RevokedAt is null)
        {
            feed.RevokedAt = clock.GetCurrentInstant();
            db.Audit(http.ToChangeActor(), feed.RevokedAt.Value, "feed", feed.Id, feed.ProgrammeId, "revoked", null, FeedSnapshot(feed));
        }

        await db.SaveChangesAsync(ct);
        // This silo never serves it from memory again, not even while PostgreSQL is unreachable.
        http.RequestServices.GetRequiredService<FeedService>().Forget(feed.Id);
        return TypedResults.NoContent();
    }

    internal static async Task<IResult> Rotate(
        string id, HttpContext http, ClaimsPrincipal user, IDbContextFactory<PlannerDbContext> dbFactory, IClock clock,
        IOptions<PlannerOptions> options, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var feed = Guid.TryParse(id, out var feedId) ? await db.Feeds.SingleOrDefaultAsync(f => f.Id == feedId, ct) : null;
        if (feed is null || !MayManage(user, feed))
        {
            return Problems.NotFound("feed");
        }

        if (feed.RevokedAt is not null)
        {
            return Problems.Conflict("This feed is already revoked; create a new one instead.");
        }

        var now = clock.GetCurrentInstant();
        var token = UrlTokens.NewToken();
        var replacement = new FeedRecord
        {
            Id = Guid.CreateVersion7(), Scope = feed.Scope, SubjectId = feed.SubjectId, ProgrammeId = feed.ProgrammeId, Detail = feed.Detail, Language = feed.Language,
            TokenHash = UrlTokens.Hash(token), CreatedAt = now, CreatedBy = user.Actor(),
        };
        // One transaction: the old URL stops and the new one starts together.
        feed.RevokedAt = now;
        db.Feeds.Add(replacement);
        db.Audit(http.ToChangeActor(), now, "feed", feed.Id, feed.ProgrammeId, "rotated", FeedSnapshot(feed), FeedSnapshot(replacement));
        await db.SaveChangesAsync(ct);
        var feeds = http.RequestServices.GetRequiredService<FeedService>();
        feeds.Forget(feed.Id);
        feeds.RenderAhead(replacement.Id, BaseUrl(http, options.Value));
        return Created(replacement, token, http, options.Value);
    }

    /// <summary>
    /// Answers a poll. A request delegate over the singletons it needs, rather than a handler whose parameters are bound
    /// and whose <see cref="IResult"/> is executed per request: a poll is the planner's most frequent request, and that
    /// machinery was a measurable part of a 304's cost (docs/performance.md, "where a 304 poll's time goes").
    /// </summary>
    private static RequestDelegate Serve(FeedService feeds, FeedPollLimits limits, PlannerOptions options, IClock clock, CalendarPolls polls) => async http =>
    {
        var file = http.Request.RouteValues["file"] as string ?? string.Empty;
        if (!await limits.AdmitAsync(http, file))
        {
            return;
        }

        // Unknown, malformed and revoked tokens all answer the same 404.
        var token = file.EndsWith(".ics", StringComparison.Ordinal) ? file[..^4] : string.Empty;
        var content = token.Length == 0 ? null
            : await feeds.GetAsync(token, BaseUrl(http, options), http.Request.Headers.UserAgent.ToString(), http.RequestAborted);
        if (content is null)
        {
            await Problems.NotFound("feed").ExecuteAsync(http);
            return;
        }

        // Changes take turns beside polls being answered (WriteAdmission); unknown tokens do not count.
        polls.Answered();
        var response = http.Response;
        response.Headers.ETag = content.ETag;
        response.Headers.LastModified = content.LastModifiedHeader;
        // Never a Last-Modified later than the answer's Date (RFC 9110, 8.8.2.1). Kestrel's Date is refreshed once a
        // second, and a change is stamped with the current second (one later for a second change within it), so a fresh
        // change can be ahead of it: then the Date is this second and Last-Modified at most that. If-Modified-Since is
        // still compared with the stamp below, so a client sent the earlier time gets the changed feed, not a 304.
        var now = clock.GetCurrentInstant();
        if (content.LastModified > now - Duration.FromSeconds(2))
        {
            var second = Instant.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
            var date = HeaderUtilities.FormatDate(second.ToDateTimeOffset());
            response.Headers.Date = date;
            if (content.LastModified > second)
            {
                response.Headers.LastModified = date;
            }
        }

        // Private: a feed is personal data, never to be kept by shared caches; clients revalidate with the ETag.
        response.Headers.CacheControl = "private, no-cache";
        if (content.StaleSeconds is { } age)
        {
            // Served from this silo's memory while PostgreSQL cannot be reached: the last answer it checked, that long ago.
            response.Headers.Age = age.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers[StaleHeader] = "database-unreachable";
        }

        // Conditional headers are parsed only when sent: most polls send neither (docs/performance.md).
        // A client that revalidates sends back the one ETag it was given: that exact text needs no parsing.
        var request = http.Request.Headers;
        var notModified = request.IfNoneMatch.Count > 0
            ? (request.IfNoneMatch.Count == 1 && string.Equals(request.IfNoneMatch[0], content.ETag, StringComparison.Ordinal))
                || http.Request.GetTypedHeaders().IfNoneMatch
                    .Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(new EntityTagHeaderValue(content.ETag), useStrongComparison: false))
            : request.IfModifiedSince.Count > 0 && http.Request.GetTypedHeaders().IfModifiedSince is { } since
                && content.LastModified.ToDateTimeOffset() <= since;
        if (notModified)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = "text/calendar; charset=utf-8";
        response.ContentLength = content.Body.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await response.Body.WriteAsync(content.Body, http.RequestAborted);
        }
    };

    private static async Task<IResult> DownloadEngagement(string id, HttpContext http, FeedService feeds, IOptions<PlannerOptions> options, CancellationToken ct)
    {
        var body = Guid.TryParse(id, out var engagementId) ? await feeds.EngagementIcsAsync(engagementId, BaseUrl(http, options.Value), ct) : null;
        return body is null
            ? Problems.NotFound("engagement")
            : TypedResults.File(body, "text/calendar; charset=utf-8", $"engagement-{engagementId}.ics");
    }

    private static Microsoft.AspNetCore.Http.HttpResults.Created<FeedResource> Created(FeedRecord feed, string token, HttpContext http, PlannerOptions options)
    {
        var url = $"{BaseUrl(http, options)}/feeds/{token}.ics";
        var webcal = "webcal" + url[url.IndexOf(':', StringComparison.Ordinal)..];
        return TypedResults.Created($"/api/feeds/{feed.Id}", ToResource(feed) with { Url = url, WebcalUrl = webcal });
    }

    private static string BaseUrl(HttpContext http, PlannerOptions options) =>
        (options.PublicBaseUrl ?? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}").TrimEnd('/');

    private static async Task<Guid?> ProgrammeOf(PlannerDbContext db, string scope, Guid subjectId, CancellationToken ct) => scope switch
    {
        FeedScopes.Person => await db.People.Where(p => p.Id == subjectId).Select(p => (Guid?)p.ProgrammeId).SingleOrDefaultAsync(ct),
        FeedScopes.Delegation => await db.Delegations.Where(d => d.Id == subjectId).Select(d => (Guid?)d.ProgrammeId).SingleOrDefaultAsync(ct),
        FeedScopes.Programme => await db.Programmes.Where(p => p.Id == subjectId).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(ct),
        _ => await db.Engagements.Where(e => e.Id == subjectId).Select(e => (Guid?)e.ProgrammeId).SingleOrDefaultAsync(ct),
    };

    private static bool MayManagePersonFeed(ClaimsPrincipal user, Guid personId) =>
        user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Organiser) || user.DelegatePersonId() == personId;

    private static bool MayManage(ClaimsPrincipal user, FeedRecord feed) =>
        user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Organiser)
        || (feed.Scope == FeedScopes.Person && user.DelegatePersonId() == feed.SubjectId);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Forbidden() => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
        detail: "Only organisers, or the delegate themself, may manage a person's feeds.");

    /// <summary>What the audit keeps of a feed: never its token or hash.</summary>
    private static string FeedSnapshot(FeedRecord f) =>
        AuditTrail.Snapshot(new { f.Id, f.Scope, f.SubjectId, f.Detail, f.Language, f.CreatedAt, f.RevokedAt });

    private static FeedResource ToResource(FeedRecord f) => new(
        f.Id, f.Scope, f.SubjectId, f.ProgrammeId, f.Detail, WireTime.FormatInstant(f.CreatedAt), f.CreatedBy,
        f.RevokedAt is { } r ? WireTime.FormatInstant(r) : null,
        f.LastFetchedAt is { } l ? WireTime.FormatInstant(l) : null, f.LastUserAgent, f.FetchCount,
        f.ContentChangedAt is { } c ? WireTime.FormatInstant(c) : null, Language: f.Language);
}
