using static CommissionPlanner.Domain.Tests.TestData;

namespace CommissionPlanner.Domain.Tests;

/// <summary>Whole-day scenarios from the Joint Commission programme, across cities and time zones.</summary>
public class TravelScenarioTests
{
    private static readonly TravelOptions Options = TravelOptions.Default;

    private static readonly BookedSlot Plenary =
        Engagement("Plenary", GreatHall, "2025-11-11T09:00", "2025-11-11T12:00");

    private static readonly BookedSlot FlightToGuangzhou =
        Leg("Flight to Guangzhou", BeijingCapitalAirport, "2025-11-11T14:00", Shanghai, BaiyunAirport, "2025-11-11T17:10", Shanghai);

    private static readonly BookedSlot CcusVisit =
        Engagement("CCUS Centre visit", CcusCentre, "2025-11-11T18:00", "2025-11-11T19:30", kind: EngagementKind.SiteVisit);

    [Fact]
    public void A_booked_flight_turns_each_hop_into_a_same_city_transfer_so_the_Guangzhou_visit_is_feasible()
    {
        Assert.Empty(ItineraryRules.AllClashes([Plenary, FlightToGuangzhou, CcusVisit], Options));
        Assert.Empty(ItineraryRules.ClashesWith([Plenary, FlightToGuangzhou], CcusVisit, Options));
        Assert.Empty(ItineraryRules.ClashesWith([Plenary, CcusVisit], FlightToGuangzhou, Options));
    }

    [Fact]
    public void Without_the_flight_six_hours_still_covers_the_rough_estimate_for_Beijing_to_Guangzhou()
    {
        // 3 h overhead + about 1,890 km at 800 km/h ≈ 5h 22m, which is less than the 6 hours from 12:00 to 18:00.
        Assert.True(TransferEstimate.Required(GreatHall, CcusCentre, Options) < Duration.FromHours(6));
        Assert.Empty(ItineraryRules.ClashesWith([Plenary], CcusVisit, Options));
    }

    [Fact]
    public void A_booked_flight_makes_feasible_a_Guangzhou_visit_that_the_rough_estimate_alone_would_reject()
    {
        var earlyFlight = Leg("Flight to Guangzhou", BeijingCapitalAirport, "2025-11-11T12:30", Shanghai, BaiyunAirport, "2025-11-11T15:40", Shanghai);
        var visit = Engagement("CCUS Centre visit", CcusCentre, "2025-11-11T16:00", "2025-11-11T17:30", kind: EngagementKind.SiteVisit);

        var withoutFlight = Assert.Single(ItineraryRules.ClashesWith([Plenary], visit, Options));
        Assert.Equal(ClashKind.Travel, withoutFlight.Kind);
        Assert.StartsWith("Only 4h 0m between 'Plenary' in Beijing and 'CCUS Centre visit' in Guangzhou", withoutFlight.Detail, StringComparison.Ordinal);

        Assert.Empty(ItineraryRules.ClashesWith([Plenary, earlyFlight], visit, Options));
    }

    [Fact]
    public void A_flight_leaving_too_soon_after_a_meeting_across_town_is_a_travel_clash()
    {
        var rushedFlight = FlightToGuangzhou with
        {
            Start = At("2025-11-11T12:10", Shanghai),
        };

        var clash = Assert.Single(ItineraryRules.ClashesWith([Plenary, CcusVisit], rushedFlight, Options));

        Assert.Equal(ClashKind.Travel, clash.Kind);
        Assert.Equal([rushedFlight.EngagementId, Plenary.EngagementId], clash.EngagementIds);
    }

    [Fact]
    public void A_Beijing_to_London_flight_departing_at_13_and_arriving_at_17_30_the_same_November_day_takes_twelve_and_a_half_hours()
    {
        var flight = Leg("Flight to London", BeijingCapitalAirport, "2025-11-12T13:00", Shanghai, Heathrow, "2025-11-12T17:30", London);

        Assert.Equal(Instant.FromUtc(2025, 11, 12, 5, 0), flight.Start);
        Assert.Equal(Instant.FromUtc(2025, 11, 12, 17, 30), flight.End);
        Assert.Equal(Duration.FromMinutes(12 * 60 + 30), flight.End - flight.Start);
        Assert.Null(TravelLegTimes.Validate(flight.Start, flight.End));

        var farewell = Engagement("Farewell breakfast", GreatHall, "2025-11-12T09:00", "2025-11-12T10:30");
        var debrief = Engagement("Debrief", LancasterHouse, "2025-11-12T19:00", "2025-11-12T20:00", London, EngagementKind.Briefing);
        Assert.Empty(ItineraryRules.AllClashes([farewell, flight, debrief], Options));
    }

    [Fact]
    public void A_London_meeting_and_a_call_set_in_Beijing_time_clash_only_after_the_clocks_go_forward()
    {
        // The call is fixed at 16:30 Beijing time; the London meeting at 09:00 London time.
        var callBefore = Engagement("Call with MOST", LancasterHouse, "2026-03-27T16:30", "2026-03-27T17:00", Shanghai, EngagementKind.Briefing);
        var meetingBefore = Engagement("Steering group", LancasterHouse, "2026-03-27T09:00", "2026-03-27T10:00", London);
        var callAfter = Engagement("Call with MOST", LancasterHouse, "2026-03-30T16:30", "2026-03-30T17:00", Shanghai, EngagementKind.Briefing);
        var meetingAfter = Engagement("Steering group", LancasterHouse, "2026-03-30T09:00", "2026-03-30T10:00", London);

        // Before the change Beijing is 8 hours ahead: the call is 08:30–09:00 in London, back to back with the meeting.
        Assert.Empty(ItineraryRules.ClashesWith([meetingBefore], callBefore, Options));

        // After it Beijing is only 7 hours ahead: the call is 09:30–10:00 in London, inside the meeting.
        var clash = Assert.Single(ItineraryRules.ClashesWith([meetingAfter], callAfter, Options));
        Assert.Equal(ClashKind.Overlap, clash.Kind);
        Assert.Equal("'Call with MOST' overlaps 'Steering group'", clash.Detail);
    }
}
