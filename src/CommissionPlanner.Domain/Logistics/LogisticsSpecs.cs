using CommissionPlanner.Domain.Planning;

namespace CommissionPlanner.Domain.Logistics;

// Hotels, room blocks, stays and vehicles as they arrive (JSON bodies, import documents) and as checked. References to
// venues and people are strings, as for engagements: a UUID through the API, an external id in an import document.

/// <summary>A person's stay at a hotel: the nights from <c>checkIn</c> up to (not including) <c>checkOut</c>, local to the hotel.</summary>
public sealed record StayInput(
    string? HotelId = null,
    string? CheckIn = null,
    string? CheckOut = null,
    string? RoomType = null,
    string? SharingWith = null,
    string? Confirmation = null);

/// <summary>A checked stay. <see cref="SharingWith"/> is the person whose room this guest shares (that person holds the room).</summary>
public sealed record StayPlan(Guid HotelId, LocalDate CheckIn, LocalDate CheckOut, RoomType RoomType, Guid? SharingWith, string? Confirmation);

/// <summary>The rooms a programme holds at a hotel for each night from <c>firstNight</c> to <c>lastNight</c> (both included).</summary>
public sealed record RoomBlockInput(string? HotelId = null, string? FirstNight = null, string? LastNight = null, int? Rooms = null);

public sealed record RoomBlockPlan(Guid HotelId, LocalDate FirstNight, LocalDate LastNight, int Rooms)
{
    public IEnumerable<LocalDate> Nights => RoomAllocation.Nights(FirstNight, LastNight.PlusDays(1));
}

/// <summary>A car, van or coach for transfers. The driver's name and phone are for staff only.</summary>
public sealed record VehicleInput(string? Label = null, int? Seats = null, string? DriverName = null, string? DriverPhone = null);

public sealed record VehicleSpec(string Label, int Seats, string? DriverName, string? DriverPhone);

/// <summary>A transfer asking for its vehicle over its time, [Start, End).</summary>
public sealed record VehicleBooking(Guid EngagementId, Guid ProgrammeId, Instant Start, Instant End);

/// <summary>What the stay rules need to know of a person a stay names (its guest, or the person whose room it shares).</summary>
public sealed record PersonRef(Guid Id, Guid ProgrammeId);

public static class LogisticsLimits
{
    /// <summary>A stay or block of more nights than this is almost certainly a typo in a date.</summary>
    public const int MaxNights = 60;
    public const int MaxRooms = 10_000;
    public const int MaxSeats = 100;
    public const int Confirmation = 100;
    public const int Label = 100;
    public const int Phone = 40;
}

public static class StaySpecs
{
    /// <summary>
    /// Checks a stay. <paramref name="findHotel"/> looks up a venue reference, <paramref name="findPerson"/> a person
    /// reference (null when unknown); the caller checks that both belong to the stay's programme.
    /// </summary>
    public static StayPlan? Validate(StayInput input, Func<string, VenueRef?> findHotel, Func<string, PersonRef?> findPerson, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(findHotel);
        ArgumentNullException.ThrowIfNull(findPerson);
        ArgumentNullException.ThrowIfNull(errors);

        var hotel = Hotel("hotelId", input.HotelId, findHotel, errors);
        var checkIn = ReferenceSpecs.Date("checkIn", input.CheckIn, errors);
        var checkOut = ReferenceSpecs.Date("checkOut", input.CheckOut, errors);
        if (checkIn is { } arrive && checkOut is { } leave)
        {
            NightsProblem("checkOut", arrive, leave, "'checkOut' must be after 'checkIn': a stay is at least one night.", errors);
        }

        var roomType = errors.Choice<RoomType>("roomType", input.RoomType ?? "single", RoomTypes.TryParse, RoomTypes.WireNames);
        Guid? sharingWith = null;
        if (!string.IsNullOrWhiteSpace(input.SharingWith))
        {
            var sharer = findPerson(input.SharingWith.Trim());
            if (sharer is null)
            {
                errors.Add("sharingWith", "'sharingWith' does not name a known person.");
            }
            else if (roomType is RoomType.SingleRoom)
            {
                errors.Add("roomType", "A shared room cannot be a single: choose double or twin.");
            }

            sharingWith = sharer?.Id;
        }

        var confirmation = ReferenceSpecs.Text("confirmation", errors.Optional("confirmation", input.Confirmation, LogisticsLimits.Confirmation), errors);
        return errors.Any ? null : new StayPlan(hotel!.Id, checkIn!.Value, checkOut!.Value, roomType!.Value, sharingWith, confirmation);
    }

    public static RoomBlockPlan? Validate(RoomBlockInput input, Func<string, VenueRef?> findHotel, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(findHotel);
        ArgumentNullException.ThrowIfNull(errors);

        var hotel = Hotel("hotelId", input.HotelId, findHotel, errors);
        var first = ReferenceSpecs.Date("firstNight", input.FirstNight, errors);
        var last = ReferenceSpecs.Date("lastNight", input.LastNight ?? input.FirstNight, errors);
        if (first is { } from && last is { } to)
        {
            NightsProblem("lastNight", from, to.PlusDays(1), "'lastNight' must not be before 'firstNight'.", errors);
        }

        if (input.Rooms is not { } rooms || rooms < 0 || rooms > LogisticsLimits.MaxRooms)
        {
            errors.Add("rooms", $"'rooms' is required: a whole number from 0 to {LogisticsLimits.MaxRooms}.");
        }

        return errors.Any ? null : new RoomBlockPlan(hotel!.Id, first!.Value, last!.Value, input.Rooms!.Value);
    }

    public static VehicleSpec? Validate(VehicleInput input, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);

        var label = ReferenceSpecs.Text("label", errors.Required("label", input.Label, LogisticsLimits.Label), errors);
        if (input.Seats is not { } seats || seats < 1 || seats > LogisticsLimits.MaxSeats)
        {
            errors.Add("seats", $"'seats' is required: the passenger seats, from 1 to {LogisticsLimits.MaxSeats} (the driver's not counted).");
        }

        var driver = ReferenceSpecs.Text("driverName", errors.Optional("driverName", input.DriverName, PlanningLimits.Name), errors);
        var phone = errors.Optional("driverPhone", input.DriverPhone, LogisticsLimits.Phone);
        if (phone is not null && !IsPhone(phone))
        {
            errors.Add("driverPhone", "'driverPhone' may hold only digits, spaces and + ( ) - . characters, e.g. +86 138 0013 8000.");
        }

        return errors.Any ? null : new VehicleSpec(label!, input.Seats!.Value, driver, phone);
    }

    private static bool IsPhone(string phone) =>
        phone.Any(char.IsAsciiDigit) && phone.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '(' or ')' or '-' or '.');

    private static void NightsProblem(string field, LocalDate first, LocalDate end, string beforeProblem, FieldErrors errors)
    {
        if (end <= first)
        {
            errors.Add(field, beforeProblem);
        }
        else if (Period.Between(first, end, PeriodUnits.Days).Days > LogisticsLimits.MaxNights)
        {
            errors.Add(field, $"At most {LogisticsLimits.MaxNights} nights at once.");
        }
    }

    private static VenueRef? Hotel(string field, string? reference, Func<string, VenueRef?> findHotel, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            errors.Add(field, $"'{field}' is required: the hotel's venue.");
            return null;
        }

        var hotel = findHotel(reference.Trim());
        if (hotel is null)
        {
            errors.Add(field, $"'{field}' does not name a known venue.");
        }

        return hotel;
    }
}
