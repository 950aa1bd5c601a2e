using System.Security.Claims;
using CommissionPlanner.Data;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Grains;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommissionPlanner.Web.Endpoints;

/// <summary>A person's recorded needs. Sensitive: admin and organiser keys only; never logged.</summary>
public sealed record LogisticsResource(
    Guid PersonId, string? Dietary, string? Accessibility, string? InterpreterLanguage, string? Nationality, string? SecurityClearance,
    int Version, string? UpdatedAt, string? UpdatedBy);

public static class LogisticsApi
{
    public static RouteGroupBuilder MapLogisticsApi(this RouteGroupBuilder api)
    {
        var logistics = api.MapGroup("/people/{id}/logistics").WithTags("People").RequireAuthorization(Policies.Plan);
        logistics.MapGet("/", Get).WithName("GetLogistics").WithSummary("A person's dietary, access, interpreter, nationality and clearance details.");
        logistics.MapPut("/", Put).WithName("PutLogistics").WithSummary("Record a person's needs (replaces what was recorded).");
        return api;
    }

    private static async Task<IResult> Get(string id, IDbContextFactory<PlannerDbContext> dbFactory, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var personId))
        {
            return Problems.NotFound("person");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.People.AnyAsync(p => p.Id == personId, ct))
        {
            return Problems.NotFound("person");
        }

        var record = await db.PersonLogistics.AsNoTracking().SingleOrDefaultAsync(l => l.PersonId == personId, ct);
        return TypedResults.Ok(record is null
            ? new LogisticsResource(personId, null, null, null, null, null, 0, null, null)
            : new LogisticsResource(personId, record.Dietary, record.Accessibility, record.InterpreterLanguage, record.Nationality,
                record.SecurityClearance, record.Version, WireTime.FormatInstant(record.UpdatedAt), record.UpdatedBy));
    }

    private static async Task<IResult> Put(
        string id, LogisticsInput? body, ClaimsPrincipal user, IGrainFactory grains, IDbContextFactory<PlannerDbContext> dbFactory, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var personId))
        {
            return Problems.NotFound("person");
        }

        Guid? delegationId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            delegationId = await db.People.Where(p => p.Id == personId).Select(p => (Guid?)p.DelegationId).SingleOrDefaultAsync(ct);
        }

        if (delegationId is null)
        {
            return Problems.NotFound("person");
        }

        var errors = new FieldErrors();
        if (LogisticsSpecs.Validate(body ?? new LogisticsInput(null, null, null, null, null), errors) is not { } spec)
        {
            return errors.ToProblem();
        }

        var result = await grains.GetGrain<IDelegationGrain>(delegationId.Value).SetLogistics(personId, spec, user.Actor());
        return result.Succeeded ? await Get(id, dbFactory, ct) : Failure.From(result, "person").ToProblem();
    }
}
