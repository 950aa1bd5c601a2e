using CommissionPlanner.Data;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Security;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace CommissionPlanner.Web.Endpoints;

public sealed record AuditEntryResource(
    long Id, string At, string Actor, Guid? KeyId, string? ClientAddress, string EntityType, Guid EntityId, Guid? ProgrammeId,
    string Action, System.Text.Json.JsonElement? Before, System.Text.Json.JsonElement? After);

/// <summary>The audit trail: every change, who made it, when, from where, and the state before and after.</summary>
public static class AuditApi
{
    internal const int MaxEntries = 1000;

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", Search).RequireAuthorization(Policies.Admin).WithTags("Audit").WithName("SearchAudit")
            .WithSummary("Audit entries, oldest first: entity = an id, a type (engagement) or type:id; from/to = instants or dates (UTC); " +
                "limit (1-1000, default 1000) and cursor page it: a Link header with rel=\"next\" names the next page while there is one.");
        api.MapGet("/engagements/{id}/history", History).RequireAuthorization(Policies.ReadProgramme).WithTags("Audit").WithName("EngagementHistory")
            .WithSummary("Every change of an engagement and its attendee list, oldest first; limit and cursor page it as /api/audit does.");
        return api;
    }

    private static async Task<IResult> Search(
        string? entity, string? from, string? to, int? limit, string? cursor, HttpContext http, System.Security.Claims.ClaimsPrincipal user,
        IDbContextFactory<PlannerDbContext> dbFactory, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var fromInstant = Bound("from", from, errors);
        var toInstant = Bound("to", to, errors);
        var page = Lists.Paging.Parse(limit, cursor, MaxEntries, errors);

        string? type = null;
        Guid? id = null;
        if (!string.IsNullOrWhiteSpace(entity))
        {
            var parts = entity.Trim().Split(':', 2);
            if (parts.Length == 2)
            {
                type = parts[0];
                id = Guid.TryParse(parts[1], out var parsed) ? parsed : null;
                if (id is null)
                {
                    errors.Add("entity", "'entity' is an id, a type such as engagement, or type:id.");
                }
            }
            else if (Guid.TryParse(parts[0], out var parsed))
            {
                id = parsed;
            }
            else
            {
                type = parts[0];
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.AuditEntries.AsNoTracking();
        if (type is not null)
        {
            query = query.Where(a => a.EntityType == type);
        }

        if (id is { } entityId)
        {
            query = query.Where(a => a.EntityId == entityId);
        }

        if (fromInstant is { } f)
        {
            query = query.Where(a => a.At >= f);
        }

        if (toInstant is { } t)
        {
            query = query.Where(a => a.At < t);
        }

        return TypedResults.Ok(await Load(query, page, http, user, ct));
    }

    /// <summary>An engagement's changes, a page at a time; the client address and key id of each only for admins (<see cref="Visibility.AuditEntry"/>).</summary>
    private static async Task<IResult> History(
        string id, int? limit, string? cursor, HttpContext http, System.Security.Claims.ClaimsPrincipal user, IDbContextFactory<PlannerDbContext> dbFactory,
        CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var engagementId))
        {
            return Problems.NotFound("engagement");
        }

        var errors = new FieldErrors();
        var page = Lists.Paging.Parse(limit, cursor, MaxEntries, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return await EngagementHistory(engagementId, page, http, user, dbFactory, ct) is { } history
            ? TypedResults.Ok(history)
            : Problems.NotFound("engagement");
    }

    /// <summary>
    /// One page of an engagement's audit entries, oldest first, as <paramref name="user"/> may see them; null when there is
    /// no such engagement. The engagement page shows the first page too.
    /// </summary>
    internal static async Task<List<AuditEntryResource>?> EngagementHistory(
        Guid engagementId, Lists.Page page, HttpContext http, System.Security.Claims.ClaimsPrincipal user, IDbContextFactory<PlannerDbContext> dbFactory,
        CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Engagements.AnyAsync(e => e.Id == engagementId, ct))
        {
            return null;
        }

        return await Load(db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "engagement" && a.EntityId == engagementId), page, http, user, ct);
    }

    private static async Task<List<AuditEntryResource>> Load(
        IQueryable<Data.Entities.AuditRecord> query, Lists.Page page, HttpContext http, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct)
    {
        if (page.After is { } after)
        {
            query = query.Where(a => a.Id > after);
        }

        // One more than asked for says whether there is a next page.
        var rows = await query.OrderBy(a => a.Id).Take(page.Limit + 1).ToListAsync(ct);
        if (rows.Count > page.Limit)
        {
            rows.RemoveAt(rows.Count - 1);
            Lists.Paging.LinkNext(http, page.Limit, rows[^1].Id);
        }

        return [.. rows.Select(a => user.AuditEntry(new AuditEntryResource(
            a.Id, WireTime.FormatInstant(a.At), a.Actor, a.KeyId, a.ClientAddress, a.EntityType, a.EntityId, a.ProgrammeId, a.Action,
            Parse(a.Before), Parse(a.After))))];
    }

    private static System.Text.Json.JsonElement? Parse(string? json) =>
        json is null ? null : System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();

    private static Instant? Bound(string field, string? text, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var instant = InstantPattern.ExtendedIso.Parse(text.Trim());
        if (instant.Success)
        {
            return instant.Value;
        }

        if (WireTime.TryParseDate(text, out var date))
        {
            return date.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
        }

        errors.Add(field, $"'{field}' must be an instant such as 2025-11-11T02:00:00Z or a date (UTC).");
        return null;
    }
}
