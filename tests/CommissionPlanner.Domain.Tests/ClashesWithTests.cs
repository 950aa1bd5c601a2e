using static CommissionPlanner.Domain.Tests.TestData;

namespace CommissionPlanner.Domain.Tests;

public class ClashesWithTests
{
    private static readonly TravelOptions Options = TravelOptions.Default;

    [Fact]
    public void Nothing_clashes_with_an_empty_schedule()
    {
        var plenary = Engagement("Plenary", GreatHall, "2025-11-11T10:00", "2025-11-11T12:00");

        Assert.Empty(ItineraryRules.ClashesWith([], plenary, Options));
    }

    [Fact]
    public void An_overlapping_engagement_is_an_overlap_clash_naming_both_titles()
    {
        var plenary = Engagement("Plenary", GreatHall, "2025-11-11T10:00", "2025-11-11T12:00");
        var visit = Engagement("Tsinghua visit", Tsinghua, "2025-11-11T11:30", "2025-11-11T13:00", kind: EngagementKind.SiteVisit);

        var clash = Assert.Single(ItineraryRules.ClashesWith([visit], plenary, Options));

        Assert.Equal(ClashKind.Overlap, clash.Kind);
        Assert.Equal([plenary.EngagementId, visit.EngagementId], clash.EngagementIds);
        Assert.Equal("'Plenary' overlaps 'Tsinghua visit'", clash.Detail);
    }

    [Fact]
    public void Back_to_back_engagements_at_the_same_venue_do_not_clash_because_intervals_are_half_open()
    {
        var plenary = Engagement("Plenary", GreatHall, "2025-11-11T10:00", "2025-11-11T12:00");
        var lunch = Engagement("Working lunch", GreatHall, "2025-11-11T12:00", "2025-11-11T13:00", kind: EngagementKind.Reception);

        Assert.Empty(ItineraryRules.ClashesWith([plenary], lunch, Options));
        Assert.Empty(ItineraryRules.ClashesWith([lunch], plenary, Options));
    }

    [Fact]
    public void Back_to_back_engagements_at_different_venues_in_one_city_leave_no_time_to_move()
    {
        var plenary = Engagement("Plenary", GreatHall, "2025-11-11T10:00", "2025-11-11T12:00");
        var visit = Engagement("Tsinghua visit", Tsinghua, "2025-11-11T12:00", "2025-11-11T13:00");

        var clash = Assert.Single(ItineraryRules.ClashesWith([plenary], visit, Options));

        Assert.Equal(ClashKind.Travel, clash.Kind);
        Assert.Equal(
            "No time between 'Plenary' and 'Tsinghua visit' at different venues in Beijing; moving between them needs about 15m",
            clash.Detail);
    }

    [Fact]
    public void Ten_minutes_between_venues_in_the_same_city_is_less_than_the_buffer()
    {
        var plenary = Engagement("Plenary", GreatHall, "2025-11-11T10:00", "2025-11-11T12:00");
        var visit = Engagement("Tsinghua visit", Tsinghua, "2025-11-11T12:10", "2025-11-11T13:00");

        var clash = Assert.Single(ItineraryRules.ClashesWith([plenary], visit, Options));

        Assert.Equal(ClashKind.Travel, clash.Kind);
        Assert.StartsWith("Only 10m between 'Plenary' and 'Tsinghua visit'", clash.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Exactly_the_buffer_between_venues_in_the_same_city_is_enough()
    {
        var plenary = Engagement("Plenary", GreatHall, "2025-11-11T10:00", "2025-11-11T12:00");
        var visit = Engagement("Tsinghua visit", Tsinghua, "2025-11-11T12:15", "2025-11-11T13:00");

        Assert.Empty(ItineraryRules.ClashesWith([plenary], visit, Options));
    }

    [Fact]
    public void A_meeting_in_Guangzhou_two_hours_after_one_in_Beijing_is_a_travel_clash()
    {
        var plenary = Engagement("Plenary", GreatHall, "2025-11-11T10:00", "2025-11-11T12:00");
        var ccus = Engagement("CCUS Centre visit", CcusCentre, "2025-11-11T14:00", "2025-11-11T15:00");
        var required = TransferEstimate.Required(GreatHall, CcusCentre, Options);

        var clash = Assert.Single(ItineraryRules.ClashesWith([plenary], ccus, Options));

        Assert.Equal(ClashKind.Travel, clash.Kind);
        Assert.Equal([ccus.EngagementId, plenary.EngagementId], clash.EngagementIds);
        Assert.Equal(
            $"Only 2h 0m between 'Plenary' in Beijing and 'CCUS Centre visit' in Guangzhou; the transfer needs about {required.Hours}h {required.Minutes}m",
            clash.Detail);
    }

    [Fact]
    public void The_successor_is_checked_too_and_the_detail_names_the_earlier_engagement_first()
    {
        var plenary = Engagement("Plenary", GreatHall, "2025-11-11T10:00", "2025-11-11T12:00");
        var ccus = Engagement("CCUS Centre visit", CcusCentre, "2025-11-11T14:00", "2025-11-11T15:00");

        var clash = Assert.Single(ItineraryRules.ClashesWith([ccus], plenary, Options));

        Assert.Equal([plenary.EngagementId, ccus.EngagementId], clash.EngagementIds);
        Assert.StartsWith("Only 2h 0m between 'Plenary' in Beijing and 'CCUS Centre visit' in Guangzhou", clash.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_overlapping_engagement_is_reported_once_in_start_order()
    {
        var candidate = Engagement("Long session", GreatHall, "2025-11-11T09:00", "2025-11-11T17:00");
        var afternoon = Engagement("Afternoon bilateral", GreatHall, "2025-11-11T14:00", "2025-11-11T15:00");
        var morning = Engagement("Morning bilateral", GreatHall, "2025-11-11T10:00", "2025-11-11T11:00");

        var clashes = ItineraryRules.ClashesWith([afternoon, morning], candidate, Options);

        Assert.Equal(2, clashes.Count);
        Assert.All(clashes, c => Assert.Equal(ClashKind.Overlap, c.Kind));
        Assert.Equal(morning.EngagementId, clashes[0].EngagementIds[1]);
        Assert.Equal(afternoon.EngagementId, clashes[1].EngagementIds[1]);
    }

    [Fact]
    public void An_overlapping_engagement_is_not_also_treated_as_a_neighbour_for_travel()
    {
        var breakfast = Engagement("Breakfast briefing", GreatHall, "2025-11-11T08:00", "2025-11-11T09:00");
        var ccusCall = Engagement("CCUS visit", CcusCentre, "2025-11-11T09:30", "2025-11-11T12:00");
        var plenary = Engagement("Plenary", GreatHall, "2025-11-11T10:00", "2025-11-11T11:00");

        var clash = Assert.Single(ItineraryRules.ClashesWith([breakfast, ccusCall], plenary, Options));

        Assert.Equal(ClashKind.Overlap, clash.Kind);
    }

    [Fact]
    public void Only_the_immediate_predecessor_is_checked_for_travel()
    {
        var guangzhouBreakfast = Engagement("Guangzhou breakfast", CcusCentre, "2025-11-11T06:00", "2025-11-11T07:00");
        var arrivalBriefing = Engagement("Arrival briefing", GreatHall, "2025-11-11T13:00", "2025-11-11T13:30");
        var plenary = Engagement("Plenary", GreatHall, "2025-11-11T14:00", "2025-11-11T16:00");

        // The Guangzhou breakfast is 7 hours earlier but the briefing comes between; that hop is the briefing's concern.
        Assert.Empty(ItineraryRules.ClashesWith([guangzhouBreakfast, arrivalBriefing], plenary, Options));
    }

    [Fact]
    public void A_rescheduled_engagement_is_not_compared_with_its_own_old_times()
    {
        var plenary = Engagement("Plenary", GreatHall, "2025-11-11T10:00", "2025-11-11T12:00");
        var moved = plenary with { Start = plenary.Start + Duration.FromHours(1), End = plenary.End + Duration.FromHours(1) };

        Assert.Empty(ItineraryRules.ClashesWith([plenary], moved, Options));
    }

    [Fact]
    public void Wider_travel_options_turn_a_feasible_gap_into_a_clash()
    {
        var plenary = Engagement("Plenary", GreatHall, "2025-11-11T10:00", "2025-11-11T12:00");
        var visit = Engagement("Tsinghua visit", Tsinghua, "2025-11-11T12:30", "2025-11-11T13:30");

        Assert.Empty(ItineraryRules.ClashesWith([plenary], visit, Options));
        Assert.Single(ItineraryRules.ClashesWith([plenary], visit, Options with { SameCityBuffer = Duration.FromMinutes(45) }));
    }
}
