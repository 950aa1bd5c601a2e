using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using NodaTime.Text;

namespace CommissionPlanner.Web.Endpoints;

/// <summary>Engagements, their attendee lists, people's itineraries and the programme's conflicts.</summary>
public static class EngagementsApi
{
    public static RouteGroupBuilder MapEngagementsApi(this RouteGroupBuilder api)
    {
        var programmes = api.MapGroup("/programmes").WithTags("Engagements");
        programmes.MapPost("/{id}/engagements", CreateEngagement).RequireAuthorization(Policies.Plan).WithName("CreateEngagement").Produces<EngagementResource>(StatusCodes.Status201Created)
            .WithSummary("Create a meeting, visit, reception, briefing, press event or travel leg.");
        programmes.MapGet("/{id}/engagements", ListEngagements).RequireAuthorization(Policies.ReadProgramme).WithName("ListEngagements")
            .WithSummary("Engagements in time order; from/to (instant, local date-time or date in the programme's zone) and kind filter; " +
                "limit (1-1000) and cursor page it: a Link header with rel=\"next\" names the next page while there is one.");
        programmes.MapGet("/{id}/conflicts", ListConflicts).RequireAuthorization(Policies.ReadProgramme).WithName("ListConflicts").Produces<IReadOnlyList<ClashResource>>()
            .WithSummary("Every person's overlapping or travel-infeasible engagements.");

        var engagements = api.MapGroup("/engagements").WithTags("Engagements");
        engagements.MapGet("/{id}", GetEngagement).RequireAuthorization(Policies.ReadProgramme).WithName("GetEngagement").Produces<EngagementResource>();
        engagements.MapPatch("/{id}", PatchEngagement).RequireAuthorization(Policies.Plan).WithName("PatchEngagement").Produces<EngagementResource>()
            .WithSummary("Change title, times, venue, capacity, areas, host or description (merge semantics; If-Match optional).");
        engagements.MapPost("/{id}/confirm", Confirm).RequireAuthorization(Policies.Plan).WithName("ConfirmEngagement");
        engagements.MapPost("/{id}/cancel", Cancel).RequireAuthorization(Policies.Plan).WithName("CancelEngagement");

        var attendees = engagements.MapGroup("/{id}/attendees").WithTags("Attendees");
        attendees.MapPost("/", AddAttendee).RequireAuthorization(Policies.Plan).WithName("AddAttendee")
            .WithSummary("Invite a person; 409 with the clashing engagements when they would be double-booked or unable to travel in time.");
        attendees.MapGet("/", ListAttendees).RequireAuthorization(Policies.ReadProgramme).WithName("ListAttendees")
            .WithSummary("The attendee list in delegation then protocol order, as JSON, or CSV with Accept: text/csv or ?format=csv; " +
                "limit (1-1000) and cursor page it: a Link header with rel=\"next\" names the next page while there is one.");
        // A delegate answers for themself, so the caller is checked inside.
        attendees.MapPatch("/{personId}", SetResponse).RequireAuthorization(Policies.PlanOrSelf).WithName("SetAttendeeResponse");
        attendees.MapDelete("/{personId}", RemoveAttendee).RequireAuthorization(Policies.Plan).WithName("RemoveAttendee");

        api.MapGet("/people/{id}/itinerary", GetItinerary).RequireAuthorization(Policies.AnyRole).WithTags("People").WithName("GetItinerary")
            .WithSummary("A person's engagements in time order with warnings.")
            .Produces<ItineraryResource>(StatusCodes.Status200OK, "application/json");
        return api;
    }

    private static async Task<IResult> CreateEngagement(
        string id, EngagementInput? body, EngagementCommands commands, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var programmeId) || !await queries.ProgrammeExists(programmeId, ct))
        {
            return Problems.NotFound("programme");
        }

        if (body is null)
        {
            return Problems.BadRequest("body", "A JSON body describing the engagement is required.");
        }

        var outcome = await commands.Create(programmeId, body, ct);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/engagements/{outcome.Value.Id}", await queries.Engagement(outcome.Value.Id, ct))
            : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> ListEngagements(
        string id, string? from, string? to, string? kind, int? limit, string? cursor, HttpContext http, PlanningQueries queries,
        IDateTimeZoneProvider zones, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var programmeId) || await queries.Programme(programmeId, ct) is not { } programme)
        {
            return Problems.NotFound("programme");
        }

        var errors = new FieldErrors();
        var zone = zones[programme.TimeZone];
        var fromInstant = Bound("from", from, zone, errors);
        var toInstant = Bound("to", to, zone, errors);
        EngagementKind? kindFilter = kind is null ? null : errors.Choice<EngagementKind>("kind", kind, EngagementKinds.TryParse, EngagementKinds.WireNames);
        var page = Lists.Paging.ParseKeyset<Lists.EngagementKey>(limit, cursor, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var paged = await queries.Engagements(programmeId, fromInstant, toInstant, kindFilter, page, ct);
        return TypedResults.Ok(http.User.Engagements(Lists.Paging.Answer(http, paged)));
    }

    private static async Task<IResult> ListConflicts(string id, PlanningQueries queries, CancellationToken ct) =>
        Guid.TryParse(id, out var programmeId) && await queries.ProgrammeExists(programmeId, ct)
            ? TypedResults.Ok(await queries.Conflicts(programmeId, ct))
            : Problems.NotFound("programme");

    private static async Task<IResult> GetEngagement(string id, HttpContext http, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var engagementId) || await queries.Engagement(engagementId, ct) is not { } engagement)
        {
            return Problems.NotFound("engagement");
        }

        http.Response.Headers.ETag = $"\"{engagement.Version}\"";
        return TypedResults.Ok(http.User.Engagement(engagement));
    }

    /// <summary>
    /// Merge-patch: the request's fields are laid over the engagement's current input and the result is checked by the
    /// same rules as a create (<see cref="EngagementCommands.Update"/>). If-Match makes a change made meanwhile a 409.
    /// </summary>
    private static async Task<IResult> PatchEngagement(
        string id, [FromBody] JsonElement body, HttpContext http, EngagementCommands commands, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var engagementId) || await queries.EngagementRecord(engagementId, ct) is null)
        {
            return Problems.NotFound("engagement");
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return Problems.BadRequest("body", "A JSON object with the fields to change is required.");
        }

        var headerErrors = new FieldErrors();
        if (!ReferencePatch.TryReadIfMatch(http, "engagement", headerErrors, out var ifMatch))
        {
            return headerErrors.ToProblem();
        }

        var outcome = await commands.Update(engagementId, (current, errors) => EngagementPatch.Merge(current, body, errors), ifMatch, ct);
        if (!outcome.Succeeded)
        {
            return outcome.Failure!.ToProblem();
        }

        var resource = await queries.Engagement(engagementId, ct, outcome.Value.Warnings.Select(PlanningQueries.ToResource).ToList());
        http.Response.Headers.ETag = $"\"{resource!.Version.ToString(CultureInfo.InvariantCulture)}\"";
        return TypedResults.Ok(http.User.Engagement(resource));
    }

    private static async Task<IResult> Confirm(string id, ClaimsPrincipal user, EngagementCommands commands, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var engagementId))
        {
            return Problems.NotFound("engagement");
        }

        var outcome = await commands.Confirm(engagementId);
        return outcome.Succeeded ? TypedResults.Ok(user.Engagement((await queries.Engagement(engagementId, ct))!)) : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> Cancel(string id, CancelInput? body, ClaimsPrincipal user, EngagementCommands commands, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var engagementId))
        {
            return Problems.NotFound("engagement");
        }

        var outcome = await commands.Cancel(engagementId, body, ct);
        return outcome.Succeeded ? TypedResults.Ok(user.Engagement((await queries.Engagement(engagementId, ct))!)) : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> AddAttendee(string id, AttendeeInput? body, EngagementCommands commands)
    {
        if (!Guid.TryParse(id, out var engagementId))
        {
            return Problems.NotFound("engagement");
        }

        // The grain answers with the attendee as written: no read after the write (docs/performance.md).
        var outcome = await commands.AddAttendee(engagementId, body);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/engagements/{engagementId}/attendees/{outcome.Value.PersonId}", PlanningQueries.ToResource(outcome.Value))
            : outcome.Failure!.ToProblem();
    }

    private static Task<IResult> ListAttendees(
        string id, string? format, string? include, int? limit, string? cursor, HttpContext http, CommissionPlanner.Web.Lists.ListQueries lists,
        CancellationToken ct) =>
        CommissionPlanner.Web.Lists.ListsApi.EngagementAttendees(id, format, include, limit, cursor, http, lists, ct);

    private static async Task<IResult> SetResponse(
        string id, string personId, ResponseInput? body, ClaimsPrincipal user, EngagementCommands commands, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var engagementId) || !Guid.TryParse(personId, out var person))
        {
            return Problems.NotFound("attendee");
        }

        var outcome = await commands.SetResponse(engagementId, person, body, user);
        return outcome.Succeeded ? TypedResults.Ok(await queries.Attendee(engagementId, person, ct)) : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> RemoveAttendee(string id, string personId, EngagementCommands commands)
    {
        if (!Guid.TryParse(id, out var engagementId) || !Guid.TryParse(personId, out var person))
        {
            return Problems.NotFound("attendee");
        }

        var outcome = await commands.RemoveAttendee(engagementId, person);
        return outcome.Succeeded ? TypedResults.NoContent() : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> GetItinerary(string id, ClaimsPrincipal user, ItineraryViews itineraries, CancellationToken ct) =>
        Guid.TryParse(id, out var personId) && user.MaySeePerson(personId) && await itineraries.GetAsync(personId, user, ct) is { } json
            ? TypedResults.Bytes(json, "application/json; charset=utf-8")
            : Problems.NotFound("person");

    /// <summary>A filter bound: a UTC instant, or a local date-time or date in the programme's zone.</summary>
    private static Instant? Bound(string field, string? text, DateTimeZone zone, FieldErrors errors)
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

        var offset = OffsetDateTimePattern.ExtendedIso.Parse(text.Trim());
        if (offset.Success)
        {
            return offset.Value.ToInstant();
        }

        if (WireTime.TryParseLocal(text, out var local))
        {
            return local.InZoneLeniently(zone).ToInstant();
        }

        if (WireTime.TryParseDate(text, out var date))
        {
            return zone.AtStartOfDay(date).ToInstant();
        }

        errors.Add(field, $"'{field}' must be an instant (2025-11-11T02:00:00Z), a local date-time or a date.");
        return null;
    }
}
