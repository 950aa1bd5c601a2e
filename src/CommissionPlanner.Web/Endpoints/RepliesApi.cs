using CommissionPlanner.Web.Operations;
using System.Security.Claims;
using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Grains;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Hosting;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CommissionPlanner.Web.Endpoints;

public sealed record ReplyLinkResource(Guid Id, Guid EngagementId, Guid PersonId, string CreatedAt, string CreatedBy, string? RevokedAt, string? LastUsedAt, string? Url = null);

public sealed record PromotionResource(Guid PersonId, string FullName, string PromotedAt, string Reason);

/// <summary>What a reply link shows: the engagement, whose reply it is, and the reply so far.</summary>
public sealed record ReplyPage(
    string Title, string Kind, string Status, string Start, string End, string TimeZone, string EndTimeZone, string Venue, string City,
    string FullName, string? LocalName, string Response, string Attendance, int? WaitingPosition, IReadOnlyList<string> Responses);

/// <summary>
/// Reply links (a secret URL per person and engagement that records a reply without a key) and the record
/// of waiting-list promotions.
/// </summary>
public static class RepliesApi
{
    public static IEndpointRouteBuilder MapRepliesApi(this IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        api.MapPost("/engagements/{id}/attendees/{personId}/reply-link", CreateLink).RequireAuthorization(Policies.Plan)
            .WithTags("Attendees").WithName("CreateReplyLink").WithMetadata(OneTimeSecretAnswer.Instance)
            .WithSummary("Make a reply link for this person and engagement; earlier links for the pair stop working.");
        api.MapDelete("/reply-links/{id}", RevokeLink).RequireAuthorization(Policies.Plan).WithTags("Attendees").WithName("RevokeReplyLink");
        api.MapGet("/engagements/{id}/promotions", Promotions).RequireAuthorization(Policies.ReadProgramme)
            .WithTags("Attendees").WithName("ListPromotions")
            .WithSummary($"Every move from the waiting list to the attendees, oldest first; {ProgrammesApi.PagedBy}");

        // Not under /api: the link itself is the secret.
        var reply = app.MapGroup("/reply").WithTags("Replies").AllowAnonymous();
        reply.MapGet("/{token}", ShowReply).WithName("ShowReply");
        reply.MapPost("/{token}", RecordReply).WithName("RecordReply");
        return app;
    }

    private static async Task<IResult> CreateLink(
        string id, string personId, HttpContext http, ClaimsPrincipal user, IDbContextFactory<PlannerDbContext> dbFactory, IClock clock,
        IOptions<PlannerOptions> options, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var engagementId) || !Guid.TryParse(personId, out var person))
        {
            return Problems.NotFound("attendee");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Attendees.AnyAsync(a => a.EngagementId == engagementId && a.PersonId == person, ct))
        {
            return Problems.NotFound("attendee");
        }

        var (link, token) = await ReplyLinks.IssueAsync(
            db, engagementId, person, programmeId: null, http.ToChangeActor(), user.Actor(), clock.GetCurrentInstant(), ct);
        await db.SaveChangesAsync(ct);
        var baseUrl = (options.Value.PublicBaseUrl ?? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}").TrimEnd('/');
        return TypedResults.Created($"/api/reply-links/{link.Id}", ToResource(link) with { Url = $"{baseUrl}/reply/{token}" });
    }

    private static async Task<IResult> RevokeLink(string id, HttpContext http, IDbContextFactory<PlannerDbContext> dbFactory, IClock clock, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var link = Guid.TryParse(id, out var linkId) ? await db.ReplyLinks.SingleOrDefaultAsync(r => r.Id == linkId, ct) : null;
        if (link is null)
        {
            return Problems.NotFound("reply link");
        }

        if (link.RevokedAt is null)
        {
            link.RevokedAt = clock.GetCurrentInstant();
            db.Audit(http.ToChangeActor(), link.RevokedAt.Value, "reply-link", link.Id, null, "revoked", null,
                AuditTrail.Snapshot(new { link.Id, link.EngagementId, link.PersonId }));
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Promotions(
        string id, int? limit, string? cursor, HttpContext http, IDbContextFactory<PlannerDbContext> dbFactory, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var engagementId))
        {
            return Problems.NotFound("engagement");
        }

        var errors = new FieldErrors();
        var page = Lists.Paging.ParseKeyset<Lists.PromotionKey>(limit, cursor, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Engagements.AnyAsync(e => e.Id == engagementId, ct))
        {
            return Problems.NotFound("engagement");
        }

        var query = db.Promotions.Where(p => p.EngagementId == engagementId);
        if (page?.After is { } after)
        {
            query = query.Where(p => p.Id > after.Id);
        }

        var promotions = await Lists.Paging.Take(
            from p in query
            join person in db.People on p.PersonId equals person.Id
            orderby p.Id
            select new { p.Id, p.PersonId, person.FullName, p.PromotedAt, p.Reason },
            page).ToListAsync(ct);
        var next = Lists.Paging.Cut(promotions, page, p => new Lists.PromotionKey(p.Id));
        var items = promotions.Select(p => new PromotionResource(p.PersonId, p.FullName, WireTime.FormatInstant(p.PromotedAt), p.Reason)).ToList();
        return TypedResults.Ok(Lists.Paging.Answer(http, Lists.Paging.Result(items, page, next)));
    }

    private static async Task<IResult> ShowReply(string token, IDbContextFactory<PlannerDbContext> dbFactory, PlanningQueries queries, CancellationToken ct)
    {
        var link = await FindLink(token, dbFactory, ct);
        return link is null ? Problems.NotFound("reply link") : await Page(link, queries, ct);
    }

    private static async Task<IResult> RecordReply(
        string token, ResponseInput? body, HttpContext http, IDbContextFactory<PlannerDbContext> dbFactory, IGrainFactory grains,
        PlanningQueries queries, IClock clock, CancellationToken ct)
    {
        var link = await FindLink(token, dbFactory, ct);
        if (link is null)
        {
            return Problems.NotFound("reply link");
        }

        var errors = new FieldErrors();
        var response = errors.Choice<Response>("response", body?.Response, Responses.TryParse, Responses.WireNames);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        // The audit names the link (not its token), so a reply through it is traceable.
        CallerContext.Set(new ChangeActor($"reply link {link.Id}", null, http.Connection.RemoteIpAddress?.ToString()));
        var result = await grains.GetGrain<IEngagementGrain>(link.EngagementId).SetResponse(link.PersonId, response!.Value);
        if (!result.Succeeded)
        {
            return Failure.From(result, "attendee").ToProblem();
        }

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await db.ReplyLinks.Where(r => r.Id == link.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastUsedAt, clock.GetCurrentInstant()), ct);
        }

        return await Page(link, queries, ct);
    }

    private static async Task<ReplyLinkRecord?> FindLink(string token, IDbContextFactory<PlannerDbContext> dbFactory, CancellationToken ct)
    {
        // Unknown, malformed and revoked links answer alike.
        if (!UrlTokens.LooksLikeToken(token))
        {
            return null;
        }

        var hash = UrlTokens.Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // A link works only while its person is on the list they were on when it was made: removed (and even added back
        // since), the person needs a new link (docs/security.md).
        return await db.ReplyLinks.AsNoTracking().SingleOrDefaultAsync(r => r.TokenHash == hash && r.RevokedAt == null
            && db.Attendees.Any(a => a.EngagementId == r.EngagementId && a.PersonId == r.PersonId && a.InvitedAt <= r.CreatedAt), ct);
    }

    private static async Task<IResult> Page(ReplyLinkRecord link, PlanningQueries queries, CancellationToken ct)
    {
        var engagement = await queries.Engagement(link.EngagementId, ct);
        var attendee = await queries.Attendee(link.EngagementId, link.PersonId, ct);
        if (engagement is null || attendee is null)
        {
            return Problems.NotFound("reply link");
        }

        // Only what the person needs to answer: no other attendees, no ids beyond the link itself.
        return TypedResults.Ok(new ReplyPage(
            engagement.Title, engagement.Kind, engagement.Status, engagement.Start, engagement.End, engagement.TimeZone, engagement.EndTimeZone,
            engagement.Venue.Name, engagement.Venue.City, attendee.FullName, attendee.LocalName, attendee.Response, attendee.Attendance,
            attendee.WaitingPosition, Responses.WireNames));
    }

    private static ReplyLinkResource ToResource(ReplyLinkRecord r) => new(
        r.Id, r.EngagementId, r.PersonId, WireTime.FormatInstant(r.CreatedAt), r.CreatedBy,
        r.RevokedAt is { } revoked ? WireTime.FormatInstant(revoked) : null, r.LastUsedAt is { } used ? WireTime.FormatInstant(used) : null);
}
