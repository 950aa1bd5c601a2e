using System.Security.Claims;
using System.Text.Json;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Lists;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Endpoints;

/// <summary>Programmes, venues, delegations and people: the reference data engagements are planned on.</summary>
public static class ProgrammesApi
{
    /// <summary>How every paged list says so in the OpenAPI document.</summary>
    internal const string PagedBy = "limit (1-1000) and cursor page it: a Link header with rel=\"next\" names the next page while there is one.";

    public static RouteGroupBuilder MapProgrammesApi(this RouteGroupBuilder api)
    {
        var programmes = api.MapGroup("/programmes").WithTags("Programmes");
        programmes.MapPost("/", CreateProgramme).RequireAuthorization(Policies.Plan).WithName("CreateProgramme").WithSummary("Create a programme.");
        programmes.MapGet("/", ListProgrammes).RequireAuthorization(Policies.ReadProgramme).WithName("ListProgrammes")
            .WithSummary($"Programmes by start date and name; {PagedBy}");
        programmes.MapGet("/{id}", GetProgramme).RequireAuthorization(Policies.ReadProgramme).WithName("GetProgramme");
        programmes.MapPatch("/{id}", PatchProgramme).RequireAuthorization(Policies.Plan).WithName("PatchProgramme")
            .WithSummary("Change name, dates, time zone or areas (merge semantics; If-Match optional).");
        programmes.MapPost("/{id}/delegations", CreateDelegation).RequireAuthorization(Policies.Plan).WithName("CreateDelegation").WithSummary("Add a delegation to a programme.");
        programmes.MapGet("/{id}/delegations", ListDelegations).RequireAuthorization(Policies.ReadProgramme).WithName("ListDelegations")
            .WithSummary($"The programme's delegations with their members, in the order they were created; {PagedBy} "
                + "A delegation counts as 1 plus its members toward limit: a page holds whole delegations, as many as fit, at least one.");

        var venues = api.MapGroup("/venues").WithTags("Venues");
        venues.MapPost("/", CreateVenue).RequireAuthorization(Policies.Plan).WithName("CreateVenue").WithSummary("Create a venue.");
        venues.MapGet("/", ListVenues).RequireAuthorization(Policies.ReadProgramme).WithName("ListVenues")
            .WithSummary($"Venues by city and name; {PagedBy}");
        venues.MapGet("/{id}", GetVenue).RequireAuthorization(Policies.ReadProgramme).WithName("GetVenue");
        venues.MapPatch("/{id}", PatchVenue).RequireAuthorization(Policies.Plan).WithName("PatchVenue")
            .WithSummary("Change any venue field (merge semantics; If-Match optional); engagements there get a new SEQUENCE when the place moves.");

        var delegations = api.MapGroup("/delegations").WithTags("Delegations");
        delegations.MapGet("/{id}", GetDelegation).RequireAuthorization(Policies.ReadProgramme).WithName("GetDelegation").WithSummary("A delegation with its members in protocol order.");
        delegations.MapPatch("/{id}", PatchDelegation).RequireAuthorization(Policies.Plan).WithName("PatchDelegation")
            .WithSummary("Change the delegation's name or country (merge semantics; If-Match optional).");
        delegations.MapPost("/{id}/members", AddMember).RequireAuthorization(Policies.Plan).WithName("AddMember").WithSummary("Add a member after the last one in protocol order.");

        var people = api.MapGroup("/people").WithTags("People");
        // Delegates may read themselves, so these routes check the caller inside rather than by policy alone.
        people.MapGet("/{id}", GetPerson).RequireAuthorization(Policies.AnyRole).WithName("GetPerson");
        people.MapPatch("/{id}", PatchPerson).RequireAuthorization(Policies.Plan).WithName("PatchPerson")
            .WithSummary("Change a member's details or protocol position (merge semantics; If-Match optional); e-mails stay unique in the delegation.");
        return api;
    }

    private static async Task<IResult> CreateProgramme(ProgrammeInput? body, ReferenceCommands commands, PlanningQueries queries, CancellationToken ct)
    {
        if (body is null)
        {
            return Problems.BadRequest("body", "A JSON body {name, startDate, endDate, timeZone, areas} is required.");
        }

        var outcome = await commands.CreateProgramme(body);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/programmes/{outcome.Value.Id}", await queries.Programme(outcome.Value.Id, ct))
            : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> ListProgrammes(int? limit, string? cursor, HttpContext http, PlanningQueries queries, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var page = Paging.ParseKeyset<ProgrammeKey>(limit, cursor, errors);
        return errors.Any ? errors.ToProblem() : TypedResults.Ok(Paging.Answer(http, await queries.Programmes(page, ct)));
    }

    private static async Task<IResult> GetProgramme(string id, HttpContext http, PlanningQueries queries, CancellationToken ct) =>
        Guid.TryParse(id, out var programmeId) && await queries.Programme(programmeId, ct) is { } programme
            ? WithETag(http, programme.Version, programme)
            : Problems.NotFound("programme");

    private static async Task<IResult> CreateVenue(VenueInput? body, ReferenceCommands commands, PlanningQueries queries, CancellationToken ct)
    {
        if (body is null)
        {
            return Problems.BadRequest("body", "A JSON body {name, address, city, country, timeZone, latitude, longitude} is required.");
        }

        var outcome = await commands.CreateVenue(body);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/venues/{outcome.Value.Id}", await queries.Venue(outcome.Value.Id, ct))
            : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> ListVenues(int? limit, string? cursor, HttpContext http, PlanningQueries queries, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var page = Paging.ParseKeyset<VenueKey>(limit, cursor, errors);
        return errors.Any ? errors.ToProblem() : TypedResults.Ok(Paging.Answer(http, await queries.Venues(page, ct)));
    }

    private static async Task<IResult> GetVenue(string id, HttpContext http, PlanningQueries queries, CancellationToken ct) =>
        Guid.TryParse(id, out var venueId) && await queries.Venue(venueId, ct) is { } venue
            ? WithETag(http, venue.Version, venue)
            : Problems.NotFound("venue");

    private static async Task<IResult> CreateDelegation(
        string id, DelegationInput? body, ReferenceCommands commands, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var programmeId) || !await queries.ProgrammeExists(programmeId, ct))
        {
            return Problems.NotFound("programme");
        }

        if (body is null)
        {
            return Problems.BadRequest("body", "A JSON body {name, country} is required.");
        }

        var outcome = await commands.CreateDelegation(programmeId, body, ct);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/delegations/{outcome.Value.Id}", await queries.Delegation(outcome.Value.Id, ct))
            : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> ListDelegations(
        string id, int? limit, string? cursor, HttpContext http, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var programmeId) || !await queries.ProgrammeExists(programmeId, ct))
        {
            return Problems.NotFound("programme");
        }

        var errors = new FieldErrors();
        var page = Paging.ParseKeyset<CreatedKey>(limit, cursor, errors);
        return errors.Any ? errors.ToProblem() : TypedResults.Ok(Paging.Answer(http, await queries.Delegations(programmeId, page, ct)));
    }

    private static async Task<IResult> GetDelegation(string id, HttpContext http, PlanningQueries queries, CancellationToken ct) =>
        Guid.TryParse(id, out var delegationId) && await queries.Delegation(delegationId, ct) is { } delegation
            ? WithETag(http, delegation.Version, delegation)
            : Problems.NotFound("delegation");

    private static async Task<IResult> AddMember(
        string id, MemberInput? body, ReferenceCommands commands, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var delegationId) || await queries.Delegation(delegationId, ct) is null)
        {
            return Problems.NotFound("delegation");
        }

        if (body is null)
        {
            return Problems.BadRequest("body", "A JSON body {fullName, organisation, title, email, role} is required.");
        }

        var outcome = await commands.AddMember(delegationId, body, ct);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/people/{outcome.Value.Id}", await queries.Person(outcome.Value.Id, ct))
            : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> GetPerson(string id, HttpContext http, ClaimsPrincipal user, PlanningQueries queries, CancellationToken ct) =>
        Guid.TryParse(id, out var personId) && user.MaySeePerson(personId) && await queries.Person(personId, ct) is { } person
            ? WithETag(http, person.Version, person)
            : Problems.NotFound("person");

    private static Task<IResult> PatchProgramme(
        string id, [FromBody] JsonElement body, HttpContext http, ReferenceCommands commands, PlanningQueries queries, CancellationToken ct) =>
        Patch("programme", id, body, http, programmeId => queries.Programme(programmeId, ct), p => p.Version, (programmeId, ifMatch) =>
            commands.UpdateProgramme(programmeId, (current, errors) => ReferencePatch.Merge(current, body, errors), ifMatch, ct));

    private static Task<IResult> PatchVenue(
        string id, [FromBody] JsonElement body, HttpContext http, ReferenceCommands commands, PlanningQueries queries, CancellationToken ct) =>
        Patch("venue", id, body, http, venueId => queries.Venue(venueId, ct), v => v.Version, (venueId, ifMatch) =>
            commands.UpdateVenue(venueId, (current, errors) => ReferencePatch.Merge(current, body, errors), ifMatch, ct));

    private static Task<IResult> PatchDelegation(
        string id, [FromBody] JsonElement body, HttpContext http, ReferenceCommands commands, PlanningQueries queries, CancellationToken ct) =>
        Patch("delegation", id, body, http, delegationId => queries.Delegation(delegationId, ct), d => d.Version, (delegationId, ifMatch) =>
            commands.UpdateDelegation(delegationId, (current, errors) => ReferencePatch.Merge(current, body, errors), ifMatch, ct));

    private static Task<IResult> PatchPerson(
        string id, [FromBody] JsonElement body, HttpContext http, ReferenceCommands commands, PlanningQueries queries, CancellationToken ct) =>
        Patch("person", id, body, http, personId => queries.Person(personId, ct), p => p.Version, (personId, ifMatch) =>
            commands.UpdateMember(personId, (current, errors) => ReferencePatch.Merge(current.Input, body, errors), ifMatch, ct));

    /// <summary>
    /// The shared shape of these PATCHes: 404 for an unknown id, 400 for a body that is not an object or an If-Match that is
    /// not a version, then the command (which merges, validates and sends the expected version); the resource as saved.
    /// </summary>
    private static async Task<IResult> Patch<TResource>(
        string what, string id, JsonElement body, HttpContext http, Func<Guid, Task<TResource?>> read, Func<TResource, int> versionOf,
        Func<Guid, int?, Task<Outcome<Saved>>> update)
        where TResource : class
    {
        if (!Guid.TryParse(id, out var resourceId) || await read(resourceId) is null)
        {
            return Problems.NotFound(what);
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return Problems.BadRequest("body", "A JSON object with the fields to change is required.");
        }

        var headerErrors = new FieldErrors();
        if (!ReferencePatch.TryReadIfMatch(http, what, headerErrors, out var ifMatch))
        {
            return headerErrors.ToProblem();
        }

        var outcome = await update(resourceId, ifMatch);
        if (!outcome.Succeeded)
        {
            return outcome.Failure!.ToProblem();
        }

        var resource = await read(resourceId);
        return resource is null ? Problems.NotFound(what) : WithETag(http, versionOf(resource), resource);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<TResource> WithETag<TResource>(HttpContext http, int version, TResource resource)
    {
        http.Response.Headers.ETag = $"\"{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"";
        return TypedResults.Ok(resource);
    }
}
