using static CommissionPlanner.Domain.Tests.TestData;

namespace CommissionPlanner.Domain.Tests;

public class AllClashesTests
{
    private static readonly TravelOptions Options = TravelOptions.Default;

    [Fact]
    public void A_feasible_day_in_Beijing_has_no_clashes()
    {
        BookedSlot[] day =
        [
            Engagement("Plenary", GreatHall, "2025-11-11T10:00", "2025-11-11T12:00"),
            Engagement("Working lunch", GreatHall, "2025-11-11T12:00", "2025-11-11T13:00", kind: EngagementKind.Reception),
            Engagement("Tsinghua visit", Tsinghua, "2025-11-11T14:00", "2025-11-11T16:00", kind: EngagementKind.SiteVisit),
        ];

        Assert.Empty(ItineraryRules.AllClashes(day, Options));
    }

    [Fact]
    public void Each_overlapping_pair_is_reported_once_earlier_engagement_first()
    {
        var a = Engagement("A", GreatHall, "2025-11-11T09:00", "2025-11-11T12:00");
        var b = Engagement("B", GreatHall, "2025-11-11T10:00", "2025-11-11T11:00");
        var c = Engagement("C", GreatHall, "2025-11-11T10:30", "2025-11-11T13:00");

        var clashes = ItineraryRules.AllClashes([c, b, a], Options);

        Assert.Equal(
            [
                new Clash(ClashKind.Overlap, [a.EngagementId, b.EngagementId], "'A' overlaps 'B'"),
                new Clash(ClashKind.Overlap, [a.EngagementId, c.EngagementId], "'A' overlaps 'C'"),
                new Clash(ClashKind.Overlap, [b.EngagementId, c.EngagementId], "'B' overlaps 'C'"),
            ],
            clashes);
    }

    [Fact]
    public void Consecutive_engagements_in_distant_cities_are_a_travel_clash()
    {
        var plenary = Engagement("Plenary", GreatHall, "2025-11-11T10:00", "2025-11-11T12:00");
        var ccus = Engagement("CCUS Centre visit", CcusCentre, "2025-11-11T14:00", "2025-11-11T15:00");

        var clash = Assert.Single(ItineraryRules.AllClashes([ccus, plenary], Options));

        Assert.Equal(ClashKind.Travel, clash.Kind);
        Assert.Equal([plenary.EngagementId, ccus.EngagementId], clash.EngagementIds);
    }

    [Fact]
    public void Overlaps_and_travel_clashes_are_listed_together_in_start_order()
    {
        var plenary = Engagement("Plenary", GreatHall, "2025-11-11T10:00", "2025-11-11T12:00");
        var bilateral = Engagement("Bilateral", GreatHall, "2025-11-11T11:00", "2025-11-11T12:00");
        var ccus = Engagement("CCUS Centre visit", CcusCentre, "2025-11-11T14:00", "2025-11-11T15:00");

        var clashes = ItineraryRules.AllClashes([ccus, bilateral, plenary], Options);

        // Both Beijing engagements end at 12:00, so the hop to Guangzhou is too short from either.
        Assert.Equal(
            [
                (ClashKind.Overlap, plenary.EngagementId, bilateral.EngagementId),
                (ClashKind.Travel, plenary.EngagementId, ccus.EngagementId),
                (ClashKind.Travel, bilateral.EngagementId, ccus.EngagementId),
            ],
            clashes.Select(c => (c.Kind, c.EngagementIds[0], c.EngagementIds[1])));
    }

    [Fact]
    public void A_hop_hidden_behind_an_overlapping_engagement_is_still_checked()
    {
        // Start order is Tsinghua, Great Hall, Guangzhou, and each neighbouring pair overlaps; yet nobody
        // gets from Tsinghua at 09:00 to Guangzhou at 09:05.
        var tsinghua = Engagement("Tsinghua visit", Tsinghua, "2025-11-11T08:00", "2025-11-11T09:00");
        var plenary = Engagement("Plenary", GreatHall, "2025-11-11T08:30", "2025-11-11T18:00");
        var ccus = Engagement("CCUS Centre visit", CcusCentre, "2025-11-11T09:05", "2025-11-11T10:00");

        var clashes = ItineraryRules.AllClashes([tsinghua, plenary, ccus], Options);

        Assert.Contains(clashes, c => c.Kind == ClashKind.Travel && c.EngagementIds.SequenceEqual([tsinghua.EngagementId, ccus.EngagementId]));
        Assert.Equal(2, clashes.Count(c => c.Kind == ClashKind.Overlap));
    }

    [Fact]
    public void The_result_does_not_depend_on_the_input_order()
    {
        BookedSlot[] slots =
        [
            Engagement("Plenary", GreatHall, "2025-11-11T10:00", "2025-11-11T12:00"),
            Engagement("Bilateral", GreatHall, "2025-11-11T10:00", "2025-11-11T11:00"),
            Engagement("Tsinghua visit", Tsinghua, "2025-11-11T12:05", "2025-11-11T13:00"),
            Engagement("CCUS Centre visit", CcusCentre, "2025-11-11T15:00", "2025-11-11T16:00"),
            Engagement("Reception", CcusCentre, "2025-11-11T15:30", "2025-11-11T18:00"),
        ];

        var expected = ItineraryRules.AllClashes(slots, Options);
        Assert.NotEmpty(expected);

        var random = new Random(2025);
        for (var i = 0; i < 20; i++)
        {
            var shuffled = slots.ToArray();
            random.Shuffle(shuffled);
            Assert.Equal(expected, ItineraryRules.AllClashes(shuffled, Options));
        }
    }

    [Fact]
    public void Every_clash_raised_when_booking_an_engagement_also_appears_among_the_itinerary_warnings()
    {
        BookedSlot[] slots =
        [
            Engagement("Breakfast", Tsinghua, "2025-11-11T08:00", "2025-11-11T09:00"),
            Engagement("Plenary", GreatHall, "2025-11-11T08:30", "2025-11-11T12:00"),
            Engagement("Bilateral", GreatHall, "2025-11-11T09:05", "2025-11-11T10:00"),
            Engagement("CCUS Centre visit", CcusCentre, "2025-11-11T13:00", "2025-11-11T16:00"),
            Engagement("Press", LancasterHouse, "2025-11-11T17:00", "2025-11-11T18:00", kind: EngagementKind.Press),
        ];

        var all = ItineraryRules.AllClashes(slots, Options)
            .Select(c => (c.Kind, Ids: string.Join(",", c.EngagementIds.Order())))
            .ToHashSet();

        foreach (var slot in slots)
        {
            foreach (var clash in ItineraryRules.ClashesWith(slots, slot, Options))
            {
                Assert.Contains((clash.Kind, string.Join(",", clash.EngagementIds.Order())), all);
            }
        }
    }

    [Fact]
    public void A_slot_listed_twice_is_not_compared_with_itself()
    {
        var plenary = Engagement("Plenary", GreatHall, "2025-11-11T10:00", "2025-11-11T12:00");

        Assert.Empty(ItineraryRules.AllClashes([plenary, plenary], Options));
    }
}
