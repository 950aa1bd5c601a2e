using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using CommissionPlanner.Domain.Logistics;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Lists;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CommissionPlanner.Web.Endpoints;

/// <summary>
/// Hotels and ground transport (docs/logistics.md): a programme's room blocks, people's stays and the rooming list; its
/// vehicles and each vehicle's passenger manifest. Transfers themselves are travel legs by car with a <c>vehicleId</c>
/// (EngagementsApi). Vehicles carry the driver's name and phone, so they are read by staff roles only.
/// </summary>
public static class HotelsAndTransfersApi
{
    public static RouteGroupBuilder MapHotelsAndTransfersApi(this RouteGroupBuilder api)
    {
        var programmes = api.MapGroup("/programmes").WithTags("Hotels and transfers");
        programmes.MapPost("/{id}/room-blocks", SetRoomBlock).RequireAuthorization(Policies.Plan).WithName("SetRoomBlock").Produces<IReadOnlyList<HotelNightResource>>()
            .WithSummary("Hold rooms at a hotel for each night from firstNight to lastNight (both included); lowering below the rooms allocated is a 409.");
        programmes.MapGet("/{id}/room-blocks", ListHotelNights).RequireAuthorization(Policies.ReadProgramme).WithName("ListHotelNights").Produces<IReadOnlyList<HotelNightResource>>()
            .WithSummary("Every hotel night with a block or a stay: rooms held, allocated and free (?hotelId= for one hotel).");
        programmes.MapGet("/{id}/stays", ListProgrammeStays).RequireAuthorization(Policies.ReadProgramme).WithName("ListProgrammeStays").Produces<IReadOnlyList<StayResource>>()
            .WithSummary($"The programme's stays by check-in date; {ProgrammesApi.PagedBy}");
        programmes.MapGet("/{id}/rooming-list", RoomingList).RequireAuthorization(Policies.ReadProgramme).WithName("RoomingList").Produces<IReadOnlyList<RoomingRow>>()
            .WithSummary("One row per room and night (?hotelId=, ?night=); CSV with Accept: text/csv or ?format=csv.");
        programmes.MapPost("/{id}/vehicles", CreateVehicle).RequireAuthorization(Policies.Plan).WithName("CreateVehicle").Produces<VehicleResource>(StatusCodes.Status201Created).WithSummary("Add a vehicle for transfers.");
        programmes.MapGet("/{id}/vehicles", ListVehicles).RequireAuthorization(Policies.ReadProgramme).WithName("ListVehicles").Produces<IReadOnlyList<VehicleResource>>()
            .WithSummary($"The programme's vehicles by label; {ProgrammesApi.PagedBy}");

        var people = api.MapGroup("/people").WithTags("Hotels and transfers");
        people.MapPost("/{id}/stays", CreateStay).RequireAuthorization(Policies.Plan).WithName("CreateStay").Produces<StayResource>(StatusCodes.Status201Created)
            .WithSummary("Book a person's nights at a hotel (409 when the block is full, or the person already has a stay those nights).");
        // A delegate may read their own stays, so the route checks the caller inside.
        people.MapGet("/{id}/stays", ListPersonStays).RequireAuthorization(Policies.AnyRole).WithName("ListPersonStays").Produces<IReadOnlyList<StayResource>>();

        var stays = api.MapGroup("/stays").WithTags("Hotels and transfers");
        stays.MapGet("/{id}", GetStay).RequireAuthorization(Policies.AnyRole).WithName("GetStay").Produces<StayResource>();
        stays.MapPatch("/{id}", PatchStay).RequireAuthorization(Policies.Plan).WithName("PatchStay").Produces<StayResource>()
            .WithSummary("Change a stay's hotel, dates, room or sharing (merge semantics; If-Match optional).");
        stays.MapDelete("/{id}", DeleteStay).RequireAuthorization(Policies.Plan).WithName("DeleteStay");
        stays.MapPost("/{id}/review", ReviewStay).RequireAuthorization(Policies.Review).WithName("ReviewStay").Produces<StayResource>()
            .WithSummary("A research-security decision on a stay at a sensitive hotel.");

        var vehicles = api.MapGroup("/vehicles").WithTags("Hotels and transfers");
        vehicles.MapGet("/{id}", GetVehicle).RequireAuthorization(Policies.ReadProgramme).WithName("GetVehicle").Produces<VehicleResource>();
        vehicles.MapPatch("/{id}", PatchVehicle).RequireAuthorization(Policies.Plan).WithName("PatchVehicle").Produces<VehicleResource>()
            .WithSummary("Change a vehicle's label, seats or driver (merge semantics; If-Match optional); seats below a transfer's passengers is a 409.");
        vehicles.MapGet("/{id}/manifest", Manifest).RequireAuthorization(Policies.ReadProgramme).WithName("VehicleManifest").Produces<ManifestResource>()
            .WithSummary("The vehicle's transfers with their passengers; CSV with Accept: text/csv or ?format=csv.");
        return api;
    }

    private static async Task<IResult> SetRoomBlock(
        string id, RoomBlockInput? body, LogisticsPlanCommands commands, LogisticsQueries logistics, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var programmeId))
        {
            return Problems.NotFound("programme");
        }

        if (body is null)
        {
            return Problems.BadRequest("body", "A JSON body {hotelId, firstNight, lastNight, rooms} is required.");
        }

        var outcome = await commands.SetRoomBlock(programmeId, body, ct);
        return outcome.Succeeded
            ? TypedResults.Ok(await logistics.HotelNights(programmeId, outcome.Value.Id, ct))
            : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> ListHotelNights(string id, Guid? hotelId, PlanningQueries queries, LogisticsQueries logistics, CancellationToken ct) =>
        Guid.TryParse(id, out var programmeId) && await queries.ProgrammeExists(programmeId, ct)
            ? TypedResults.Ok(await logistics.HotelNights(programmeId, hotelId, ct))
            : Problems.NotFound("programme");

    private static async Task<IResult> ListProgrammeStays(
        string id, int? limit, string? cursor, HttpContext http, PlanningQueries queries, LogisticsQueries logistics, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var programmeId) || !await queries.ProgrammeExists(programmeId, ct))
        {
            return Problems.NotFound("programme");
        }

        var errors = new FieldErrors();
        var page = Paging.ParseKeyset<StayKey>(limit, cursor, errors);
        return errors.Any ? errors.ToProblem() : TypedResults.Ok(Paging.Answer(http, await logistics.ProgrammeStays(programmeId, page, ct)));
    }

    internal static async Task<IResult> RoomingList(
        string id, Guid? hotelId, string? night, string? format, HttpContext http, PlanningQueries queries, LogisticsQueries logistics, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var programmeId) || !await queries.ProgrammeExists(programmeId, ct))
        {
            return Problems.NotFound("programme");
        }

        LocalDateOrNull(night, out var date, out var nightProblem);
        if (nightProblem is not null)
        {
            return Problems.BadRequest("night", nightProblem);
        }

        var rows = await logistics.RoomingList(programmeId, hotelId, date, ct);
        if (!ListsApi.WantsCsv(format, http))
        {
            return TypedResults.Ok(rows);
        }

        var csv = CsvWriter.Write(
            ["hotel", "night", "guest", "guest_local_name", "delegation", "room_type", "shared_with", "check_in", "check_out", "confirmation", "review"],
            rows.Select(r => (IReadOnlyList<string?>)[r.Hotel, r.Night, r.Guest, r.GuestLocalName, r.Delegation, r.RoomType, r.SharedWith, r.CheckIn, r.CheckOut,
                r.Confirmation, r.Review]));
        return TypedResults.File(csv, CsvWriter.ContentType, $"rooming-list-{programmeId}.csv");
    }

    private static async Task<IResult> CreateStay(
        string id, StayInput? body, LogisticsPlanCommands commands, LogisticsQueries logistics, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var personId))
        {
            return Problems.NotFound("person");
        }

        if (body is null)
        {
            return Problems.BadRequest("body", "A JSON body {hotelId, checkIn, checkOut, roomType?, sharingWith?, confirmation?} is required.");
        }

        var outcome = await commands.CreateStay(personId, body, ct);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/stays/{outcome.Value.Id}", await logistics.Stay(outcome.Value.Id, ct))
            : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> ListPersonStays(string id, ClaimsPrincipal user, PlanningQueries queries, LogisticsQueries logistics, CancellationToken ct) =>
        Guid.TryParse(id, out var personId) && user.MaySeePerson(personId) && await queries.Person(personId, ct) is not null
            ? TypedResults.Ok(Visible(user, await logistics.PersonStays(personId, ct)))
            : Problems.NotFound("person");

    private static async Task<IResult> GetStay(string id, HttpContext http, ClaimsPrincipal user, LogisticsQueries logistics, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var stayId) || await logistics.Stay(stayId, ct) is not { } stay || !user.MaySeePerson(stay.PersonId))
        {
            return Problems.NotFound("stay");
        }

        return WithETag(http, stay.Version, Visible(user, [stay])[0]);
    }

    private static readonly Dictionary<string, Func<StayInput, JsonElement, FieldErrors, StayInput>> StayFields = new(StringComparer.Ordinal)
    {
        ["hotelId"] = (input, value, errors) => input with { HotelId = PatchValues.Text("hotelId", value, errors) },
        ["checkIn"] = (input, value, errors) => input with { CheckIn = PatchValues.Text("checkIn", value, errors) },
        ["checkOut"] = (input, value, errors) => input with { CheckOut = PatchValues.Text("checkOut", value, errors) },
        ["roomType"] = (input, value, errors) => input with { RoomType = PatchValues.Text("roomType", value, errors) },
        ["sharingWith"] = (input, value, errors) => input with { SharingWith = PatchValues.Text("sharingWith", value, errors) },
        ["confirmation"] = (input, value, errors) => input with { Confirmation = PatchValues.Text("confirmation", value, errors) },
    };

    private static readonly Dictionary<string, Func<VehicleInput, JsonElement, FieldErrors, VehicleInput>> VehicleFields = new(StringComparer.Ordinal)
    {
        ["label"] = (input, value, errors) => input with { Label = PatchValues.Text("label", value, errors) },
        ["seats"] = (input, value, errors) => input with { Seats = PatchValues.Integer("seats", value, errors) },
        ["driverName"] = (input, value, errors) => input with { DriverName = PatchValues.Text("driverName", value, errors) },
        ["driverPhone"] = (input, value, errors) => input with { DriverPhone = PatchValues.Text("driverPhone", value, errors) },
    };

    private static async Task<IResult> PatchStay(
        string id, [FromBody] JsonElement body, HttpContext http, LogisticsPlanCommands commands, LogisticsQueries logistics, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var stayId) || await logistics.Stay(stayId, ct) is null)
        {
            return Problems.NotFound("stay");
        }

        if (PatchProblem(http, "stay", body, out var ifMatch) is { } problem)
        {
            return problem;
        }

        var outcome = await commands.UpdateStay(stayId, (current, errors) => Merge(current, body, StayFields, errors), ifMatch, ct);
        return outcome.Succeeded && await logistics.Stay(stayId, ct) is { } saved
            ? WithETag(http, saved.Version, saved)
            : outcome.Failure?.ToProblem() ?? Problems.NotFound("stay");
    }

    private static async Task<IResult> DeleteStay(string id, LogisticsPlanCommands commands, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var stayId))
        {
            return Problems.NotFound("stay");
        }

        var outcome = await commands.RemoveStay(stayId, ct);
        return outcome.Succeeded ? TypedResults.NoContent() : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> ReviewStay(
        string id, ReviewInput? body, ClaimsPrincipal user, LogisticsPlanCommands commands, LogisticsQueries logistics, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var stayId))
        {
            return Problems.NotFound("stay");
        }

        var outcome = await commands.ReviewStay(stayId, body, user, ct);
        return outcome.Succeeded ? TypedResults.Ok(await logistics.Stay(stayId, ct)) : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> CreateVehicle(
        string id, VehicleInput? body, LogisticsPlanCommands commands, LogisticsQueries logistics, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var programmeId))
        {
            return Problems.NotFound("programme");
        }

        if (body is null)
        {
            return Problems.BadRequest("body", "A JSON body {label, seats, driverName?, driverPhone?} is required.");
        }

        var outcome = await commands.CreateVehicle(programmeId, body, ct);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/vehicles/{outcome.Value.Id}", await logistics.Vehicle(outcome.Value.Id, ct))
            : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> ListVehicles(
        string id, int? limit, string? cursor, HttpContext http, PlanningQueries queries, LogisticsQueries logistics, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var programmeId) || !await queries.ProgrammeExists(programmeId, ct))
        {
            return Problems.NotFound("programme");
        }

        var errors = new FieldErrors();
        var page = Paging.ParseKeyset<VehicleKey>(limit, cursor, errors);
        return errors.Any ? errors.ToProblem() : TypedResults.Ok(Paging.Answer(http, await logistics.Vehicles(programmeId, page, ct)));
    }

    private static async Task<IResult> GetVehicle(string id, HttpContext http, LogisticsQueries logistics, CancellationToken ct) =>
        Guid.TryParse(id, out var vehicleId) && await logistics.Vehicle(vehicleId, ct) is { } vehicle
            ? WithETag(http, vehicle.Version, vehicle)
            : Problems.NotFound("vehicle");

    private static async Task<IResult> PatchVehicle(
        string id, [FromBody] JsonElement body, HttpContext http, LogisticsPlanCommands commands, LogisticsQueries logistics, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var vehicleId) || await logistics.Vehicle(vehicleId, ct) is null)
        {
            return Problems.NotFound("vehicle");
        }

        if (PatchProblem(http, "vehicle", body, out var ifMatch) is { } problem)
        {
            return problem;
        }

        var outcome = await commands.UpdateVehicle(vehicleId, (current, errors) => Merge(current, body, VehicleFields, errors), ifMatch, ct);
        return outcome.Succeeded && await logistics.Vehicle(vehicleId, ct) is { } saved
            ? WithETag(http, saved.Version, saved)
            : outcome.Failure?.ToProblem() ?? Problems.NotFound("vehicle");
    }

    internal static async Task<IResult> Manifest(string id, string? format, HttpContext http, LogisticsQueries logistics, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var vehicleId) || await logistics.Manifest(vehicleId, ct) is not { } manifest)
        {
            return Problems.NotFound("vehicle");
        }

        if (!ListsApi.WantsCsv(format, http))
        {
            return TypedResults.Ok(manifest);
        }

        var csv = CsvWriter.Write(
            ["vehicle", "transfer", "status", "from", "to", "departure", "departure_zone", "arrival", "arrival_zone", "reference",
                "full_name", "local_name", "delegation", "organisation", "response"],
            manifest.Transfers.SelectMany(t => t.Passengers.Select(p => (IReadOnlyList<string?>)
                [manifest.Vehicle.Label, t.Title, t.Status, t.From, t.To, t.Departure, t.DepartureZone, t.Arrival, t.ArrivalZone, t.Reference,
                    p.FullName, p.LocalName, p.Delegation, p.Organisation, p.Response])));
        return TypedResults.File(csv, CsvWriter.ContentType, $"manifest-{vehicleId}.csv");
    }

    /// <summary>A delegate sees their stays without the reviewer or the hotel's sensitivity (as their itinerary).</summary>
    private static IReadOnlyList<StayResource> Visible(ClaimsPrincipal user, IReadOnlyList<StayResource> stays) =>
        user.MayReadProgramme()
            ? stays
            : [.. stays.Select(s => s with { Review = new ReviewResource(s.Review.Status, null, null, null), Hotel = s.Hotel with { Sensitive = null } })];

    private static IResult? PatchProblem(HttpContext http, string what, JsonElement body, out int? ifMatch)
    {
        ifMatch = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Problems.BadRequest("body", "A JSON object with the fields to change is required.");
        }

        var headerErrors = new FieldErrors();
        return ReferencePatch.TryReadIfMatch(http, what, headerErrors, out ifMatch) ? null : headerErrors.ToProblem();
    }

    private static T Merge<T>(T current, JsonElement patch, Dictionary<string, Func<T, JsonElement, FieldErrors, T>> fields, FieldErrors errors)
    {
        var result = current;
        foreach (var property in patch.EnumerateObject())
        {
            result = fields.TryGetValue(property.Name, out var set)
                ? set(result, property.Value, errors)
                : Fail(result, property.Name);
        }

        return result;

        T Fail(T value, string name)
        {
            errors.Add(name, $"'{name}' cannot be changed here. Allowed: {string.Join(", ", fields.Keys)}.");
            return value;
        }
    }

    private static void LocalDateOrNull(string? text, out LocalDate? date, out string? problem)
    {
        date = null;
        problem = null;
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (WireTime.TryParseDate(text, out var parsed))
        {
            date = parsed;
        }
        else
        {
            problem = $"'night' must be {WireTime.DateFormatHint}.";
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<TResource> WithETag<TResource>(HttpContext http, int version, TResource resource)
    {
        http.Response.Headers.ETag = $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";
        return TypedResults.Ok(resource);
    }
}
