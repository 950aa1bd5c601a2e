using CommissionPlanner.Domain.Logistics;
using CommissionPlanner.Domain.Planning;

namespace CommissionPlanner.Domain.Tests.Logistics;

public class LogisticsSpecsTests
{
    private static readonly VenueRef Hotel = new(Guid.Parse("00000000-0000-0000-0000-0000000000a1"), "Asia/Shanghai");
    private static readonly PersonRef Host = new(Guid.Parse("00000000-0000-0000-0000-0000000000b1"), Guid.Empty);

    private static VenueRef? FindHotel(string reference) => reference == "wenjin" ? Hotel : null;

    private static PersonRef? FindPerson(string reference) => reference == "minister" ? Host : null;

    private static (StayPlan? Plan, Dictionary<string, List<string>> Errors) Stay(StayInput input)
    {
        var errors = new FieldErrors();
        var plan = StaySpecs.Validate(input, FindHotel, FindPerson, errors);
        return (plan, errors.ToDictionary().ToDictionary(e => e.Key, e => e.Value.ToList()));
    }

    [Fact]
    public void A_stay_is_at_least_one_night_at_most_sixty_at_a_known_hotel()
    {
        var (plan, errors) = Stay(new StayInput("wenjin", "2025-11-10", "2025-11-13", Confirmation: " WJ-118 "));
        Assert.Empty(errors);
        Assert.Equal(new StayPlan(Hotel.Id, new LocalDate(2025, 11, 10), new LocalDate(2025, 11, 13), RoomType.SingleRoom, null, "WJ-118"), plan);

        Assert.Contains("checkOut", Stay(new StayInput("wenjin", "2025-11-10", "2025-11-10")).Errors.Keys);
        Assert.Contains("checkOut", Stay(new StayInput("wenjin", "2025-11-10", "2026-01-10")).Errors.Keys);
        Assert.Contains("checkIn", Stay(new StayInput("wenjin", "10/11/2025", "2025-11-12")).Errors.Keys);
        Assert.Contains("hotelId", Stay(new StayInput("nowhere", "2025-11-10", "2025-11-12")).Errors.Keys);
        Assert.Contains("roomType", Stay(new StayInput("wenjin", "2025-11-10", "2025-11-12", RoomType: "penthouse")).Errors.Keys);
    }

    [Fact]
    public void A_shared_room_names_a_known_person_and_is_not_a_single()
    {
        Assert.Equal(Host.Id, Stay(new StayInput("wenjin", "2025-11-10", "2025-11-12", "twin", "minister")).Plan!.SharingWith);
        Assert.Contains("roomType", Stay(new StayInput("wenjin", "2025-11-10", "2025-11-12", "single", "minister")).Errors.Keys);
        Assert.Contains("sharingWith", Stay(new StayInput("wenjin", "2025-11-10", "2025-11-12", "twin", "stranger")).Errors.Keys);
    }

    [Fact]
    public void A_block_holds_whole_rooms_for_one_night_or_a_run_of_nights()
    {
        var errors = new FieldErrors();
        var one = StaySpecs.Validate(new RoomBlockInput("wenjin", "2025-11-10", Rooms: 12), FindHotel, errors);
        Assert.False(errors.Any);
        Assert.Equal([new LocalDate(2025, 11, 10)], one!.Nights);

        var bad = new FieldErrors();
        Assert.Null(StaySpecs.Validate(new RoomBlockInput("wenjin", "2025-11-12", "2025-11-10", -1), FindHotel, bad));
        Assert.Equal(["lastNight", "rooms"], bad.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_vehicle_has_one_to_a_hundred_seats_and_a_phone_number_that_looks_like_one()
    {
        var errors = new FieldErrors();
        Assert.Equal(new VehicleSpec("Minibus 1", 10, "Zhao Lei", "+86 10 6500 0101"),
            StaySpecs.Validate(new VehicleInput("Minibus 1", 10, "Zhao Lei", "+86 10 6500 0101"), errors));

        var bad = new FieldErrors();
        Assert.Null(StaySpecs.Validate(new VehicleInput(" ", 0, null, "call me"), bad));
        Assert.Equal(["driverPhone", "label", "seats"], bad.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }
}
