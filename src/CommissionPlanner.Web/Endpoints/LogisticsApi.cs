using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using CommissionPlanner.Data;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using Microsoft.AspNetCore.Mvc;
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
        logistics.MapPut("/", Put).WithName("PutLogistics").Accepts<LogisticsInput>("application/json")
            .WithSummary("Record a person's needs (replaces what was recorded; a body naming none of the fields is a 400; If-Match optional).");
        return api;
    }

    private static readonly HashSet<string> Fields = new(
        ["dietary", "accessibility", "interpreterLanguage", "nationality", "securityClearance"], StringComparer.OrdinalIgnoreCase);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static async Task<IResult> Get(string id, HttpContext http, IDbContextFactory<PlannerDbContext> dbFactory, CancellationToken ct)
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
        http.Response.Headers.ETag = $"\"{(record?.Version ?? 0).ToString(CultureInfo.InvariantCulture)}\"";
        return TypedResults.Ok(record is null
            ? new LogisticsResource(personId, null, null, null, null, null, 0, null, null)
            : new LogisticsResource(personId, record.Dietary, record.Accessibility, record.InterpreterLanguage, record.Nationality,
                record.SecurityClearance, record.Version, WireTime.FormatInstant(record.UpdatedAt), record.UpdatedBy));
    }

    /// <summary>
    /// Replaces what is recorded (a field left out is cleared). A body that names none of the five fields is refused: an empty
    /// or missing body is far more likely a client bug than a wish to wipe a person's needs. If-Match (the version GET
    /// answers, also as ETag; 0 while nothing is recorded) makes a change made meanwhile a 409, as for PATCH.
    /// </summary>
    private static async Task<IResult> Put(
        string id, [FromBody] JsonElement? body, HttpContext http, ClaimsPrincipal user, LogisticsCommands commands,
        IDbContextFactory<PlannerDbContext> dbFactory, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var personId))
        {
            return Problems.NotFound("person");
        }

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (!await db.People.AnyAsync(p => p.Id == personId, ct))
            {
                return Problems.NotFound("person");
            }
        }

        var bodyErrors = new FieldErrors();
        if (Input(body, bodyErrors) is not { } input)
        {
            return bodyErrors.ToProblem();
        }

        var headerErrors = new FieldErrors();
        if (!ReferencePatch.TryReadIfMatch(http, "logistics record", headerErrors, out var ifMatch))
        {
            return headerErrors.ToProblem();
        }

        var outcome = await commands.Set(personId, input, ifMatch, user, ct);
        return outcome.Succeeded ? await Get(id, http, dbFactory, ct) : outcome.Failure!.ToProblem();
    }

    /// <summary>The body as input, or null (with the reason) when it is missing, not an object, names none of the fields or has a field of the wrong type.</summary>
    private static LogisticsInput? Input(JsonElement? body, FieldErrors errors)
    {
        if (body is not { ValueKind: JsonValueKind.Object } json || !json.EnumerateObject().Any(p => Fields.Contains(p.Name)))
        {
            errors.Add("body",
                "A JSON object with at least one of dietary, accessibility, interpreterLanguage, nationality, securityClearance is required: " +
                "a PUT replaces what is recorded, so a field left out is cleared (send null to clear one on purpose); an empty body changes nothing.");
            return null;
        }

        foreach (var property in json.EnumerateObject().Where(p => Fields.Contains(p.Name)))
        {
            if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                errors.Add(property.Name, $"'{property.Name}' must be a string or null.");
            }
        }

        return errors.Any ? null : json.Deserialize<LogisticsInput>(JsonOptions);
    }
}
