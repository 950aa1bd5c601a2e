using System.Security.Claims;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Grains;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
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
        programmes.MapPost("/{id}/delegations", CreateDelegation).RequireAuthorization(Policies.Plan).WithName("CreateDelegation").WithSummary("Add a delegation to a programme.");
        programmes.MapGet("/{id}/delegations", ListDelegations).RequireAuthorization(Policies.ReadProgramme).WithName("ListDelegations");

        var venues = api.MapGroup("/venues").WithTags("Venues");
        venues.MapPost("/", CreateVenue).RequireAuthorization(Policies.Plan).WithName("CreateVenue").WithSummary("Create a venue.");
        venues.MapGet("/", ListVenues).RequireAuthorization(Policies.ReadProgramme).WithName("ListVenues");
        venues.MapGet("/{id}", GetVenue).RequireAuthorization(Policies.ReadProgramme).WithName("GetVenue");

        var delegations = api.MapGroup("/delegations").WithTags("Delegations");
        delegations.MapGet("/{id}", GetDelegation).RequireAuthorization(Policies.ReadProgramme).WithName("GetDelegation").WithSummary("A delegation with its members in protocol order.");
        delegations.MapPost("/{id}/members", AddMember).RequireAuthorization(Policies.Plan).WithName("AddMember").WithSummary("Add a member after the last one in protocol order.");

        var people = api.MapGroup("/people").WithTags("People");
        // Delegates may read themselves, so these routes check the caller inside rather than by policy alone.
        people.MapGet("/{id}", GetPerson).RequireAuthorization(Policies.AnyRole).WithName("GetPerson");
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

    private static async Task<IResult> GetProgramme(string id, PlanningQueries queries, CancellationToken ct) =>
        Guid.TryParse(id, out var programmeId) && await queries.Programme(programmeId, ct) is { } programme
            ? TypedResults.Ok(programme)
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

    private static async Task<IResult> GetVenue(string id, PlanningQueries queries, CancellationToken ct) =>
        Guid.TryParse(id, out var venueId) && await queries.Venue(venueId, ct) is { } venue
            ? TypedResults.Ok(venue)
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

    private static async Task<IResult> GetDelegation(string id, PlanningQueries queries, CancellationToken ct) =>
        Guid.TryParse(id, out var delegationId) && await queries.Delegation(delegationId, ct) is { } delegation
            ? TypedResults.Ok(delegation)
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

    private static async Task<IResult> GetPerson(string id, ClaimsPrincipal user, PlanningQueries queries, CancellationToken ct) =>
        Guid.TryParse(id, out var personId) && user.MaySeePerson(personId) && await queries.Person(personId, ct) is { } person
            ? TypedResults.Ok(person)
            : Problems.NotFound("person");
}
