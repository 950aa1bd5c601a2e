using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Grains;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using NodaTime.Text;

namespace CommissionPlanner.Web.Endpoints;

public sealed record AttendeeInput(string? PersonId, string? Role);

public sealed record ResponseInput(string? Response);

public sealed record CancelInput(string? Reason);

/// <summary>Engagements, their attendee lists, people's itineraries and the programme's conflicts.</summary>
public static class EngagementsApi
{
    public static RouteGroupBuilder MapEngagementsApi(this RouteGroupBuilder api)
    {
        var programmes = api.MapGroup("/programmes").WithTags("Engagements");
        programmes.MapPost("/{id}/engagements", CreateEngagement).RequireAuthorization(Policies.Plan).WithName("CreateEngagement")
            .WithSummary("Create a meeting, visit, reception, briefing, press event or travel leg.");
        programmes.MapGet("/{id}/engagements", ListEngagements).RequireAuthorization(Policies.ReadProgramme).WithName("ListEngagements")
            .WithSummary("Engagements in time order; from/to (instant, local date-time or date in the programme's zone) and kind filter.");
        programmes.MapGet("/{id}/conflicts", ListConflicts).RequireAuthorization(Policies.ReadProgramme).WithName("ListConflicts")
            .WithSummary("Every person's overlapping or travel-infeasible engagements.");

        var engagements = api.MapGroup("/engagements").WithTags("Engagements");
        engagements.MapGet("/{id}", GetEngagement).RequireAuthorization(Policies.ReadProgramme).WithName("GetEngagement");
        engagements.MapPatch("/{id}", PatchEngagement).RequireAuthorization(Policies.Plan).WithName("PatchEngagement")
            .WithSummary("Change title, times, venue, capacity, areas, host or description (merge semantics; If-Match optional).");
        engagements.MapPost("/{id}/confirm", Confirm).RequireAuthorization(Policies.Plan).WithName("ConfirmEngagement");
        engagements.MapPost("/{id}/cancel", Cancel).RequireAuthorization(Policies.Plan).WithName("CancelEngagement");

        var attendees = engagements.MapGroup("/{id}/attendees").WithTags("Attendees");
        attendees.MapPost("/", AddAttendee).RequireAuthorization(Policies.Plan).WithName("AddAttendee")
            .WithSummary("Invite a person; 409 with the clashing engagements when they would be double-booked or unable to travel in time.");
        attendees.MapGet("/", ListAttendees).RequireAuthorization(Policies.ReadProgramme).WithName("ListAttendees")
            .WithSummary("The attendee list as JSON, or CSV with Accept: text/csv or ?format=csv.");
        // A delegate answers for themself, so the caller is checked inside.
        attendees.MapPatch("/{personId}", SetResponse).RequireAuthorization(Policies.PlanOrSelf).WithName("SetAttendeeResponse");
        attendees.MapDelete("/{personId}", RemoveAttendee).RequireAuthorization(Policies.Plan).WithName("RemoveAttendee");

        api.MapGet("/people/{id}/itinerary", GetItinerary).RequireAuthorization(Policies.AnyRole).WithTags("People").WithName("GetItinerary")
            .WithSummary("A person's engagements in time order with warnings.")
            .Produces<ItineraryResource>(StatusCodes.Status200OK, "application/json");
        return api;
    }

    internal static async Task<IResult> CreateEngagement(
        string id, EngagementInput? body, IGrainFactory grains, PlanningQueries queries, IDateTimeZoneProvider zones, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var programmeId) || !await queries.ProgrammeExists(programmeId, ct))
        {
            return Problems.NotFound("programme");
        }

        if (body is null)
        {
            return Problems.BadRequest("body", "A JSON body describing the engagement is required.");
        }

        var errors = new FieldErrors();
        var plan = await Plan(body, queries, zones, errors, ct);
        if (plan is null)
        {
            return errors.ToProblem();
        }

        var engagementId = Guid.CreateVersion7();
        var result = await grains.GetGrain<IEngagementGrain>(engagementId).Create(programmeId, plan);
        return result.Succeeded
            ? TypedResults.Created($"/api/engagements/{engagementId}", await queries.Engagement(engagementId, ct))
            : result.ToProblem("programme");
    }

    private static async Task<IResult> ListEngagements(
        string id, string? from, string? to, string? kind, PlanningQueries queries, IDateTimeZoneProvider zones, CancellationToken ct)
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
        return errors.Any ? errors.ToProblem() : TypedResults.Ok(await queries.Engagements(programmeId, fromInstant, toInstant, kindFilter, ct));
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
        return TypedResults.Ok(engagement);
    }

    /// <summary>
    /// Merge-patch: the request's fields are laid over the engagement's current input and the result is checked
    /// by the same rules as a create. Without If-Match the merge is retried if the engagement changed meanwhile,
    /// so fields the caller did not send are never reverted.
    /// </summary>
    internal static async Task<IResult> PatchEngagement(
        string id, [FromBody] JsonElement body, HttpContext http, IGrainFactory grains, PlanningQueries queries,
        IDateTimeZoneProvider zones, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var engagementId) || await queries.EngagementRecord(engagementId, ct) is null)
        {
            return Problems.NotFound("engagement");
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return Problems.BadRequest("body", "A JSON object with the fields to change is required.");
        }

        int? ifMatch = null;
        if (http.Request.Headers.IfMatch.Count > 0)
        {
            var text = http.Request.Headers.IfMatch.ToString().Trim().Trim('"');
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                return Problems.BadRequest("If-Match", "If-Match must be the engagement's version in quotes, e.g. \"3\".");
            }

            ifMatch = version;
        }

        for (var attempt = 0; ; attempt++)
        {
            var record = await queries.EngagementRecord(engagementId, ct);
            if (record is null)
            {
                return Problems.NotFound("engagement");
            }

            var errors = new FieldErrors();
            var venues = await queries.VenueRefs([record.FromVenueId], ct);
            var merged = EngagementPatch.Merge(EngagementPatch.CurrentInput(record, venues[record.FromVenueId]), body, errors);
            var plan = errors.Any ? null : await Plan(merged, queries, zones, errors, ct);
            if (plan is null)
            {
                return errors.ToProblem();
            }

            var result = await grains.GetGrain<IEngagementGrain>(engagementId).Update(plan, ifMatch ?? record.Version, ifMatch is not null);
            if (result.Status == CommandStatus.Conflict && ifMatch is null && attempt < 3 && result.Numbers?.ContainsKey("currentVersion") == true)
            {
                continue;
            }

            if (!result.Succeeded)
            {
                return result.ToProblem("engagement");
            }

            var resource = await queries.Engagement(engagementId, ct, result.Warnings?.Select(PlanningQueries.ToResource).ToList());
            http.Response.Headers.ETag = $"\"{resource!.Version}\"";
            return TypedResults.Ok(resource);
        }
    }

    internal static async Task<IResult> Confirm(string id, IGrainFactory grains, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var engagementId))
        {
            return Problems.NotFound("engagement");
        }

        var result = await grains.GetGrain<IEngagementGrain>(engagementId).Confirm();
        return result.Succeeded ? TypedResults.Ok(await queries.Engagement(engagementId, ct)) : result.ToProblem("engagement");
    }

    internal static async Task<IResult> Cancel(string id, CancelInput? body, IGrainFactory grains, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var engagementId) || await queries.EngagementRecord(engagementId, ct) is null)
        {
            return Problems.NotFound("engagement");
        }

        var errors = new FieldErrors();
        var reason = errors.Required("reason", body?.Reason, PlanningLimits.Reason);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var result = await grains.GetGrain<IEngagementGrain>(engagementId).Cancel(reason!);
        return result.Succeeded ? TypedResults.Ok(await queries.Engagement(engagementId, ct)) : result.ToProblem("engagement");
    }

    internal static async Task<IResult> AddAttendee(string id, AttendeeInput? body, IGrainFactory grains)
    {
        // The engagement grain answers 404 for an engagement that does not exist: no separate existence check here,
        // as adds are the hottest write (docs/performance.md).
        if (!Guid.TryParse(id, out var engagementId))
        {
            return Problems.NotFound("engagement");
        }

        var errors = new FieldErrors();
        if (!Guid.TryParse(body?.PersonId, out var personId))
        {
            errors.Add("personId", "'personId' is required: the id of a person in this programme.");
        }

        var role = errors.Choice<AttendeeRole>("role", body?.Role ?? AttendeeRoles.ToWire(AttendeeRole.Required),
            AttendeeRoles.TryParse, AttendeeRoles.WireNames);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        // The grain answers with the attendee as written: no read after the write (docs/performance.md).
        var addition = await grains.GetGrain<IEngagementGrain>(engagementId).AddAttendee(personId, role!.Value);
        return addition is { Result.Succeeded: true, Attendee: { } added }
            ? TypedResults.Created($"/api/engagements/{engagementId}/attendees/{personId}", PlanningQueries.ToResource(added))
            : addition.Result.ToProblem("engagement");
    }

    private static Task<IResult> ListAttendees(
        string id, string? format, string? include, HttpContext http, CommissionPlanner.Web.Lists.ListQueries lists, CancellationToken ct) =>
        CommissionPlanner.Web.Lists.ListsApi.EngagementAttendees(id, format, include, http, lists, ct);

    internal static async Task<IResult> SetResponse(
        string id, string personId, ResponseInput? body, ClaimsPrincipal user, IGrainFactory grains, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var engagementId) || !Guid.TryParse(personId, out var person) || !user.MaySeePerson(person))
        {
            return Problems.NotFound("attendee");
        }

        if (!user.IsInRole(Roles.Admin) && !user.IsInRole(Roles.Organiser) && user.DelegatePersonId() != person)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "Only organisers, or the delegate themself, may record a reply.");
        }

        var errors = new FieldErrors();
        var response = errors.Choice<Response>("response", body?.Response, Responses.TryParse, Responses.WireNames);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var result = await grains.GetGrain<IEngagementGrain>(engagementId).SetResponse(person, response!.Value);
        return result.Succeeded ? TypedResults.Ok(await queries.Attendee(engagementId, person, ct)) : result.ToProblem("attendee");
    }

    private static async Task<IResult> RemoveAttendee(string id, string personId, IGrainFactory grains)
    {
        if (!Guid.TryParse(id, out var engagementId) || !Guid.TryParse(personId, out var person))
        {
            return Problems.NotFound("attendee");
        }

        var result = await grains.GetGrain<IEngagementGrain>(engagementId).RemoveAttendee(person);
        return result.Succeeded ? TypedResults.NoContent() : result.ToProblem("attendee");
    }

    private static async Task<IResult> GetItinerary(string id, ClaimsPrincipal user, ItineraryViews itineraries, CancellationToken ct) =>
        Guid.TryParse(id, out var personId) && user.MaySeePerson(personId) && await itineraries.GetAsync(personId, user, ct) is { } json
            ? TypedResults.Bytes(json, "application/json; charset=utf-8")
            : Problems.NotFound("person");

    /// <summary>Validates an engagement input, looking up the venues it names.</summary>
    private static async Task<EngagementPlan?> Plan(
        EngagementInput input, PlanningQueries queries, IDateTimeZoneProvider zones, FieldErrors errors, CancellationToken ct)
    {
        var ids = new[] { input.VenueId, input.FromVenueId, input.ToVenueId }
            .Select(v => Guid.TryParse(v, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty);
        var venues = await queries.VenueRefs(ids, ct);
        return EngagementSpecs.Validate(input, reference =>
            Guid.TryParse(reference, out var g) && venues.TryGetValue(g, out var venue) ? venue : null, zones, errors);
    }

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
