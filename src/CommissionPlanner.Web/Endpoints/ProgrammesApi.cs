using System.Security.Claims;
using System.Text.Json;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Grains;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CommissionPlanner.Web.Endpoints;

/// <summary>Programmes, venues, delegations and people: the reference data engagements are planned on.</summary>
public static class ProgrammesApi
{
    public static RouteGroupBuilder MapProgrammesApi(this RouteGroupBuilder api)
    {
        var programmes = api.MapGroup("/programmes").WithTags("Programmes");
        programmes.MapPost("/", CreateProgramme).RequireAuthorization(Policies.Plan).WithName("CreateProgramme").WithSummary("Create a programme.");
        programmes.MapGet("/", ListProgrammes).RequireAuthorization(Policies.ReadProgramme).WithName("ListProgrammes");
        programmes.MapGet("/{id}", GetProgramme).RequireAuthorization(Policies.ReadProgramme).WithName("GetProgramme");
        programmes.MapPatch("/{id}", PatchProgramme).RequireAuthorization(Policies.Plan).WithName("PatchProgramme")
            .WithSummary("Change name, dates, time zone or areas (merge semantics; If-Match optional).");
        programmes.MapPost("/{id}/delegations", CreateDelegation).RequireAuthorization(Policies.Plan).WithName("CreateDelegation").WithSummary("Add a delegation to a programme.");
        programmes.MapGet("/{id}/delegations", ListDelegations).RequireAuthorization(Policies.ReadProgramme).WithName("ListDelegations");

        var venues = api.MapGroup("/venues").WithTags("Venues");
        venues.MapPost("/", CreateVenue).RequireAuthorization(Policies.Plan).WithName("CreateVenue").WithSummary("Create a venue.");
        venues.MapGet("/", ListVenues).RequireAuthorization(Policies.ReadProgramme).WithName("ListVenues");
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

    internal static async Task<IResult> CreateProgramme(
        ProgrammeInput? body, IGrainFactory grains, PlanningQueries queries, IDateTimeZoneProvider zones, CancellationToken ct)
    {
        if (body is null)
        {
            return Problems.BadRequest("body", "A JSON body {name, startDate, endDate, timeZone, areas} is required.");
        }

        var errors = new FieldErrors();
        if (ReferenceSpecs.Validate(body, zones, errors) is not { } spec)
        {
            return errors.ToProblem();
        }

        var id = Guid.CreateVersion7();
        var result = await grains.GetGrain<IProgrammeGrain>(id).Create(spec);
        return result.Succeeded
            ? TypedResults.Created($"/api/programmes/{id}", await queries.Programme(id, ct))
            : result.ToProblem("programme");
    }

    private static async Task<IResult> ListProgrammes(PlanningQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.Programmes(ct));

    private static async Task<IResult> GetProgramme(string id, HttpContext http, PlanningQueries queries, CancellationToken ct) =>
        Guid.TryParse(id, out var programmeId) && await queries.Programme(programmeId, ct) is { } programme
            ? WithETag(http, programme.Version, programme)
            : Problems.NotFound("programme");

    internal static async Task<IResult> CreateVenue(
        VenueInput? body, IGrainFactory grains, PlanningQueries queries, IDateTimeZoneProvider zones, CancellationToken ct)
    {
        if (body is null)
        {
            return Problems.BadRequest("body", "A JSON body {name, address, city, country, timeZone, latitude, longitude} is required.");
        }

        var errors = new FieldErrors();
        if (ReferenceSpecs.Validate(body, zones, errors) is not { } spec)
        {
            return errors.ToProblem();
        }

        var id = Guid.CreateVersion7();
        var result = await grains.GetGrain<IVenueGrain>(id).Create(spec);
        return result.Succeeded
            ? TypedResults.Created($"/api/venues/{id}", await queries.Venue(id, ct))
            : result.ToProblem("venue");
    }

    private static async Task<IResult> ListVenues(PlanningQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.Venues(ct));

    private static async Task<IResult> GetVenue(string id, HttpContext http, PlanningQueries queries, CancellationToken ct) =>
        Guid.TryParse(id, out var venueId) && await queries.Venue(venueId, ct) is { } venue
            ? WithETag(http, venue.Version, venue)
            : Problems.NotFound("venue");

    internal static async Task<IResult> CreateDelegation(
        string id, DelegationInput? body, IGrainFactory grains, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var programmeId) || !await queries.ProgrammeExists(programmeId, ct))
        {
            return Problems.NotFound("programme");
        }

        if (body is null)
        {
            return Problems.BadRequest("body", "A JSON body {name, country} is required.");
        }

        var errors = new FieldErrors();
        if (ReferenceSpecs.Validate(body, errors) is not { } spec)
        {
            return errors.ToProblem();
        }

        var delegationId = Guid.CreateVersion7();
        var result = await grains.GetGrain<IDelegationGrain>(delegationId).Create(programmeId, spec);
        return result.Succeeded
            ? TypedResults.Created($"/api/delegations/{delegationId}", await queries.Delegation(delegationId, ct))
            : result.ToProblem("programme");
    }

    private static async Task<IResult> ListDelegations(string id, PlanningQueries queries, CancellationToken ct) =>
        Guid.TryParse(id, out var programmeId) && await queries.ProgrammeExists(programmeId, ct)
            ? TypedResults.Ok(await queries.Delegations(programmeId, ct))
            : Problems.NotFound("programme");

    private static async Task<IResult> GetDelegation(string id, HttpContext http, PlanningQueries queries, CancellationToken ct) =>
        Guid.TryParse(id, out var delegationId) && await queries.Delegation(delegationId, ct) is { } delegation
            ? WithETag(http, delegation.Version, delegation)
            : Problems.NotFound("delegation");

    internal static async Task<IResult> AddMember(
        string id, MemberInput? body, IGrainFactory grains, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var delegationId) || await queries.Delegation(delegationId, ct) is null)
        {
            return Problems.NotFound("delegation");
        }

        if (body is null)
        {
            return Problems.BadRequest("body", "A JSON body {fullName, organisation, title, email, role} is required.");
        }

        var errors = new FieldErrors();
        if (ReferenceSpecs.Validate(body, errors) is not { } spec)
        {
            return errors.ToProblem();
        }

        var personId = Guid.CreateVersion7();
        var result = await grains.GetGrain<IDelegationGrain>(delegationId).AddMember(personId, spec);
        return result.Succeeded
            ? TypedResults.Created($"/api/people/{personId}", await queries.Person(personId, ct))
            : result.ToProblem("delegation");
    }

    private static async Task<IResult> GetPerson(string id, HttpContext http, ClaimsPrincipal user, PlanningQueries queries, CancellationToken ct) =>
        Guid.TryParse(id, out var personId) && user.MaySeePerson(personId) && await queries.Person(personId, ct) is { } person
            ? WithETag(http, person.Version, person)
            : Problems.NotFound("person");

    internal static Task<IResult> PatchProgramme(
        string id, [FromBody] JsonElement body, HttpContext http, IGrainFactory grains, PlanningQueries queries,
        IDateTimeZoneProvider zones, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var programmeId))
        {
            return Task.FromResult(Problems.NotFound("programme"));
        }

        return Patch("programme", body, http, () => queries.Programme(programmeId, ct), p => p.Version, (current, errors, version, fromClient) =>
            ReferenceSpecs.Validate(ReferencePatch.Merge(ReferencePatch.Current(current), body, errors), zones, errors) is { } spec && !errors.Any
                ? grains.GetGrain<IProgrammeGrain>(programmeId).Update(spec, version, fromClient)
                : null);
    }

    internal static Task<IResult> PatchVenue(
        string id, [FromBody] JsonElement body, HttpContext http, IGrainFactory grains, PlanningQueries queries,
        IDateTimeZoneProvider zones, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var venueId))
        {
            return Task.FromResult(Problems.NotFound("venue"));
        }

        return Patch("venue", body, http, () => queries.Venue(venueId, ct), v => v.Version, (current, errors, version, fromClient) =>
            ReferenceSpecs.Validate(ReferencePatch.Merge(ReferencePatch.Current(current), body, errors), zones, errors) is { } spec && !errors.Any
                ? grains.GetGrain<IVenueGrain>(venueId).Update(spec, version, fromClient)
                : null);
    }

    internal static Task<IResult> PatchDelegation(
        string id, [FromBody] JsonElement body, HttpContext http, IGrainFactory grains, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var delegationId))
        {
            return Task.FromResult(Problems.NotFound("delegation"));
        }

        return Patch("delegation", body, http, () => queries.Delegation(delegationId, ct), d => d.Version, (current, errors, version, fromClient) =>
            ReferenceSpecs.Validate(ReferencePatch.Merge(ReferencePatch.Current(current), body, errors), errors) is { } spec && !errors.Any
                ? grains.GetGrain<IDelegationGrain>(delegationId).Update(spec, version, fromClient)
                : null);
    }

    internal static Task<IResult> PatchPerson(
        string id, [FromBody] JsonElement body, HttpContext http, IGrainFactory grains, PlanningQueries queries, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var personId))
        {
            return Task.FromResult(Problems.NotFound("person"));
        }

        return Patch("person", body, http, () => queries.Person(personId, ct), p => p.Version, (current, errors, version, fromClient) =>
        {
            var merged = ReferencePatch.Merge(ReferencePatch.Current(current), body, errors);
            return ReferenceSpecs.Validate(merged.Input, errors) is { } spec && !errors.Any
                ? grains.GetGrain<IDelegationGrain>(current.DelegationId).UpdateMember(personId, spec, merged.ProtocolOrder, version, fromClient)
                : null;
        });
    }

    /// <summary>
    /// The shared shape of these PATCHes: read the resource (404), merge and validate (400, <paramref name="command"/>
    /// answers null with the errors filled in), send the grain command with the expected version. Without If-Match
    /// the merge is retried when the resource changed meanwhile; with it, a stale version is a 409.
    /// </summary>
    private static async Task<IResult> Patch<TResource>(
        string what, JsonElement body, HttpContext http, Func<Task<TResource?>> read, Func<TResource, int> versionOf,
        Func<TResource, FieldErrors, int, bool, Task<CommandResult>?> command)
        where TResource : class
    {
        if (await read() is null)
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

        for (var attempt = 0; ; attempt++)
        {
            var current = await read();
            if (current is null)
            {
                return Problems.NotFound(what);
            }

            var errors = new FieldErrors();
            var pending = command(current, errors, ifMatch ?? versionOf(current), ifMatch is not null);
            if (pending is null)
            {
                return errors.ToProblem();
            }

            var result = await pending;
            if (result.Status == CommandStatus.Conflict && ifMatch is null && attempt < 3 && result.Numbers?.ContainsKey("currentVersion") == true)
            {
                continue;
            }

            if (!result.Succeeded)
            {
                return result.ToProblem(what);
            }

            var resource = await read();
            return resource is null ? Problems.NotFound(what) : WithETag(http, versionOf(resource), resource);
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<TResource> WithETag<TResource>(HttpContext http, int version, TResource resource)
    {
        http.Response.Headers.ETag = $"\"{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"";
        return TypedResults.Ok(resource);
    }
}
