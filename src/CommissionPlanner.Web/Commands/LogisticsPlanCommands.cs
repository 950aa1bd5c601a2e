using System.Security.Claims;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Logistics;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Grains;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;

namespace CommissionPlanner.Web.Commands;

/// <summary>
/// Hotels and ground transport, for the API and the pages alike: room blocks, stays and vehicles, checked by the domain's
/// <see cref="StaySpecs"/>, then one grain call (the programme's <see cref="IAccommodationGrain"/>, a vehicle's
/// <see cref="IVehicleGrain"/>), answered as an <see cref="Outcome{T}"/>. Transfers are engagements
/// (<see cref="EngagementCommands"/>) with a vehicle.
/// </summary>
public sealed class LogisticsPlanCommands(IGrainFactory grains, PlanningQueries queries, LogisticsQueries logistics)
{
    public async Task<Outcome<Saved>> SetRoomBlock(Guid programmeId, RoomBlockInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!await queries.ProgrammeExists(programmeId, ct))
        {
            return Failure.NotFound("programme");
        }

        var errors = new FieldErrors();
        var hotels = await HotelsAsync(input.HotelId, ct);
        if (StaySpecs.Validate(input, Find(hotels), errors) is not { } plan)
        {
            return Failure.Invalid(errors);
        }

        var result = await ChangeCalls.Once(() => grains.GetGrain<IAccommodationGrain>(programmeId).SetRoomBlock(plan), CommandStatus.Ok);
        return result.Succeeded ? Outcome.Success(Saved.From(result, plan.HotelId)) : Failure.From(result, "programme");
    }

    public async Task<Outcome<Saved>> CreateStay(Guid personId, StayInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await queries.Person(personId, ct) is not { } person)
        {
            return Failure.NotFound("person");
        }

        var (checkedPlan, errors) = await CheckAsync(input, ct);
        if (checkedPlan is null)
        {
            return Failure.Invalid(errors);
        }

        var stayId = Guid.CreateVersion7();
        var result = await ChangeCalls.Once(
            () => grains.GetGrain<IAccommodationGrain>(person.ProgrammeId).CreateStay(stayId, personId, checkedPlan), CommandStatus.Created);
        return result.Succeeded ? Outcome.Success(Saved.From(result, stayId)) : Failure.From(result, "person");
    }

    /// <summary>Lays <paramref name="change"/> over the stay as the input that would create it; the rest as for engagements.</summary>
    public async Task<Outcome<Saved>> UpdateStay(Guid stayId, Func<StayInput, FieldErrors, StayInput> change, int? expectedVersion, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; ; attempt++)
        {
            if (await logistics.Stay(stayId, ct) is not { } stay)
            {
                return Failure.NotFound("stay");
            }

            var patchErrors = new FieldErrors();
            var merged = change(CurrentInput(stay), patchErrors);
            if (patchErrors.Any)
            {
                return Failure.Invalid(patchErrors);
            }

            var (plan, errors) = await CheckAsync(merged, ct);
            if (plan is null)
            {
                return Failure.Invalid(errors);
            }

            var result = await grains.GetGrain<IAccommodationGrain>(stay.ProgrammeId)
                .UpdateStay(stayId, plan, expectedVersion ?? stay.Version, expectedVersion is not null);
            if (result.Succeeded)
            {
                return Outcome.Success(Saved.From(result, stayId));
            }

            var failure = Failure.From(result, "stay");
            if (!(failure.IsStale && expectedVersion is null && attempt < EngagementCommands.MergeRetries))
            {
                return failure;
            }
        }
    }

    public async Task<Outcome<Saved>> RemoveStay(Guid stayId, CancellationToken ct)
    {
        if (await logistics.Stay(stayId, ct) is not { } stay)
        {
            return Failure.NotFound("stay");
        }

        var result = await grains.GetGrain<IAccommodationGrain>(stay.ProgrammeId).RemoveStay(stayId);
        return result.Succeeded ? Outcome.Success(Saved.From(result, stayId)) : Failure.From(result, "stay");
    }

    /// <summary>A research-security reviewer's decision on a stay at a sensitive hotel; the reviewer recorded is the caller.</summary>
    public async Task<Outcome<Saved>> ReviewStay(Guid stayId, ReviewInput? input, ClaimsPrincipal caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await logistics.Stay(stayId, ct) is not { } stay)
        {
            return Failure.NotFound("stay");
        }

        var errors = new FieldErrors();
        ReviewStatus? decision = ReviewStatuses.TryParse(input?.Decision, out var parsed) && ReviewRules.IsDecided(parsed) ? parsed : null;
        if (decision is null)
        {
            errors.Add("decision", "'decision' must be approved or rejected.");
        }

        var note = errors.Required("note", input?.Note, 2000);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var result = await ChangeCalls.Once(
            () => grains.GetGrain<IAccommodationGrain>(stay.ProgrammeId).ReviewStay(stayId, decision!.Value, note!, caller.Actor()), CommandStatus.Ok);
        return result.Succeeded ? Outcome.Success(Saved.From(result, stayId)) : Failure.From(result, "stay");
    }

    public async Task<Outcome<Saved>> CreateVehicle(Guid programmeId, VehicleInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!await queries.ProgrammeExists(programmeId, ct))
        {
            return Failure.NotFound("programme");
        }

        var errors = new FieldErrors();
        if (StaySpecs.Validate(input, errors) is not { } spec)
        {
            return Failure.Invalid(errors);
        }

        var vehicleId = Guid.CreateVersion7();
        var result = await ChangeCalls.Once(() => grains.GetGrain<IVehicleGrain>(vehicleId).Create(programmeId, spec), CommandStatus.Created);
        return result.Succeeded ? Outcome.Success(Saved.From(result, vehicleId)) : Failure.From(result, "programme");
    }

    public async Task<Outcome<Saved>> UpdateVehicle(
        Guid vehicleId, Func<VehicleInput, FieldErrors, VehicleInput> change, int? expectedVersion, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; ; attempt++)
        {
            if (await logistics.Vehicle(vehicleId, ct) is not { } vehicle)
            {
                return Failure.NotFound("vehicle");
            }

            var errors = new FieldErrors();
            var merged = change(new VehicleInput(vehicle.Label, vehicle.Seats, vehicle.DriverName, vehicle.DriverPhone), errors);
            if (errors.Any || StaySpecs.Validate(merged, errors) is not { } spec)
            {
                return Failure.Invalid(errors);
            }

            var result = await grains.GetGrain<IVehicleGrain>(vehicleId).Update(spec, expectedVersion ?? vehicle.Version, expectedVersion is not null);
            if (result.Succeeded)
            {
                return Outcome.Success(Saved.From(result, vehicleId));
            }

            var failure = Failure.From(result, "vehicle");
            if (!(failure.IsStale && expectedVersion is null && attempt < EngagementCommands.MergeRetries))
            {
                return failure;
            }
        }
    }

    /// <summary>The stay as the input that would create it.</summary>
    public static StayInput CurrentInput(StayResource stay)
    {
        ArgumentNullException.ThrowIfNull(stay);
        return new StayInput(stay.HotelId.ToString(), stay.CheckIn, stay.CheckOut, stay.RoomType, stay.SharingWith?.ToString(), stay.Confirmation);
    }

    /// <summary>Checks a stay input, looking up the hotel and the person whose room it shares.</summary>
    private async Task<(StayPlan? Plan, FieldErrors Errors)> CheckAsync(StayInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var plan = StaySpecs.Validate(input, Find(await HotelsAsync(input.HotelId, ct)), await FindPersonAsync(input.SharingWith, ct), errors);
        return (plan, errors);
    }

    private async Task<Dictionary<Guid, VenueRef>> HotelsAsync(string? reference, CancellationToken ct) =>
        Guid.TryParse(reference, out var id) ? await queries.VenueRefs([id], ct) : [];

    private static Func<string, VenueRef?> Find(Dictionary<Guid, VenueRef> hotels) =>
        reference => Guid.TryParse(reference, out var id) && hotels.TryGetValue(id, out var hotel) ? hotel : null;

    private async Task<Func<string, PersonRef?>> FindPersonAsync(string? reference, CancellationToken ct)
    {
        var person = Guid.TryParse(reference, out var id) ? await queries.Person(id, ct) : null;
        return candidate => person is not null && Guid.TryParse(candidate, out var g) && g == person.Id ? new PersonRef(person.Id, person.ProgrammeId) : null;
    }
}
