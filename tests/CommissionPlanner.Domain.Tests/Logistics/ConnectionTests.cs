using static CommissionPlanner.Domain.Tests.TestData;

namespace CommissionPlanner.Domain.Tests.Logistics;

/// <summary>The travel rule for transfers that meet flights and trains (docs/travel-rule.md, "Connections").</summary>
public class ConnectionTests
{
    private static readonly Place WenjinHotel = new(Guid.Parse("00000000-0000-0000-0000-0000000000a1"), "Beijing", "CN", new GeoPoint(39.9967, 116.3290));

    private static BookedSlot Flight(string departure, string arrival) =>
        Leg("Flight CA1351", BeijingCapitalAirport, departure, Shanghai, BaiyunAirport, arrival, Shanghai) with { Mode = TravelMode.Flight };

    private static BookedSlot Road(string title, Place from, Place to, string departure, string arrival) =>
        Leg(title, from, departure, Shanghai, to, arrival, Shanghai) with { Mode = TravelMode.Car };

    [Fact]
    public void A_pickup_that_leaves_before_the_flight_lands_is_a_travel_clash_with_the_minutes_short()
    {
        var flight = Flight("2025-11-12T08:00", "2025-11-12T11:40");
        var pickup = Road("Pickup at Baiyun", BaiyunAirport, CcusCentre, "2025-11-12T11:15", "2025-11-12T12:30");

        var clash = Assert.Single(ItineraryRules.AllClashes([pickup, flight], TravelOptions.Default));

        Assert.Equal(ClashKind.Travel, clash.Kind);
        Assert.Equal(25, clash.MinutesShort);
        Assert.True(clash.TimesOverlap);
        Assert.Contains("pickup 'Pickup at Baiyun' leaves Guangzhou 25m before", clash.Detail, StringComparison.Ordinal);
        Assert.Empty(ItineraryRules.AllClashes([flight, pickup with { Start = flight.End }], TravelOptions.Default));
    }

    [Fact]
    public void A_drop_off_must_arrive_the_check_in_margin_before_the_departure()
    {
        var flight = Flight("2025-11-12T08:00", "2025-11-12T11:15");
        var dropOff = Road("Drop-off at Capital airport", WenjinHotel, BeijingCapitalAirport, "2025-11-12T06:30", "2025-11-12T07:30");

        var clash = Assert.Single(ItineraryRules.AllClashes([dropOff, flight], TravelOptions.Default));
        Assert.Equal(ClashKind.Travel, clash.Kind);
        Assert.Equal(30, clash.MinutesShort);
        Assert.False(clash.TimesOverlap);

        var early = dropOff with { Start = At("2025-11-12T05:50", Shanghai), End = At("2025-11-12T06:50", Shanghai) };
        Assert.Empty(ItineraryRules.AllClashes([early, flight], TravelOptions.Default));

        // The margin is configurable: with 90 minutes for flights, arriving 70 minutes before is 20 short.
        var strict = TravelOptions.Default with { FlightCheckIn = Duration.FromMinutes(90) };
        Assert.Equal(20, Assert.Single(ItineraryRules.AllClashes([early, flight], strict)).MinutesShort);
    }

    [Fact]
    public void A_drop_off_arriving_after_the_departure_is_short_by_the_lateness_plus_the_margin_and_trains_need_less()
    {
        var flight = Flight("2025-11-12T08:00", "2025-11-12T11:15");
        var late = Road("Drop-off", WenjinHotel, BeijingCapitalAirport, "2025-11-12T07:20", "2025-11-12T08:10");
        var clash = Assert.Single(ItineraryRules.AllClashes([late, flight], TravelOptions.Default));
        Assert.Equal(ClashKind.Travel, clash.Kind);
        Assert.Equal(70, clash.MinutesShort);
        Assert.True(clash.TimesOverlap);

        var train = Leg("G79 to Guangzhou", BeijingCapitalAirport, "2025-11-12T08:00", Shanghai, BaiyunAirport, "2025-11-12T16:00", Shanghai) with { Mode = TravelMode.Train };
        var twentyBefore = Road("Drop-off", WenjinHotel, BeijingCapitalAirport, "2025-11-12T06:40", "2025-11-12T07:40");
        Assert.Empty(ItineraryRules.AllClashes([twentyBefore, train], TravelOptions.Default));
    }
}
