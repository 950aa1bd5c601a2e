using CommissionPlanner.Calendar.Tests.Support;
using NodaTime;

namespace CommissionPlanner.Calendar.Tests;

/// <summary>Parse the output back with Ical.Net and compare what it means with what went in.</summary>
public sealed class IcalNetRoundTripTests
{
    private static Ical.Net.CalendarComponents.CalendarEvent Load(string ics, Guid id) =>
        Ical.Net.Calendar.Load(ics)!.Events.Single(e => e.Uid == $"{id}@commission-planner");

    private static DateTime Utc(FeedEvent e, bool end) =>
        (end ? e.EndLocal.InZoneStrictly(DateTimeZoneProviders.Tzdb[e.EndZone]) : e.StartLocal.InZoneStrictly(DateTimeZoneProviders.Tzdb[e.StartZone]))
        .ToDateTimeUtc();

    [Fact]
    public void Start_and_end_instants_survive_a_round_trip()
    {
        var ics = FeedRenderer.Render(TestData.Organiser());
        foreach (var e in TestData.All())
        {
            var parsed = Load(ics, e.EngagementId);
            Assert.Equal(Utc(e, end: false), parsed.DtStart!.AsUtc);
            Assert.Equal(Utc(e, end: true), parsed.DtEnd!.AsUtc);
            Assert.Equal(e.StartZone, parsed.DtStart.TzId);
            Assert.Equal(e.EndZone, parsed.DtEnd.TzId);
        }
    }

    [Fact]
    public void Known_instants_across_zones_and_the_March_change()
    {
        var ics = FeedRenderer.Render(TestData.Organiser());
        Assert.Equal(new DateTime(2025, 11, 11, 2, 0, 0, DateTimeKind.Utc), Load(ics, TestData.PlenaryId).DtStart!.AsUtc);
        Assert.Equal(new DateTime(2026, 3, 27, 9, 0, 0, DateTimeKind.Utc), Load(ics, TestData.LondonBeforeId).DtStart!.AsUtc);
        Assert.Equal(new DateTime(2026, 3, 30, 8, 0, 0, DateTimeKind.Utc), Load(ics, TestData.LondonAfterId).DtStart!.AsUtc);
        var flight = Load(ics, TestData.FlightId);
        Assert.Equal(new DateTime(2025, 11, 12, 5, 0, 0, DateTimeKind.Utc), flight.DtStart!.AsUtc);
        Assert.Equal(new DateTime(2025, 11, 12, 17, 30, 0, DateTimeKind.Utc), flight.DtEnd!.AsUtc);
    }

    [Fact]
    public void Properties_survive_a_round_trip()
    {
        var ics = FeedRenderer.Render(TestData.Organiser());
        var plenary = Load(ics, TestData.PlenaryId);
        Assert.Equal(3, plenary.Sequence);
        Assert.Equal("CONFIRMED", plenary.Status);
        Assert.Equal("11th UK–China Joint Commission: plenary", plenary.Summary);
        Assert.Equal(["meeting", "health research", "agriculture and food research"], plenary.Categories);
        Assert.Equal(39.9031, plenary.GeographicLocation!.Latitude, 6);
        Assert.Equal(new DateTime(2025, 10, 2, 14, 30, 15, DateTimeKind.Utc), plenary.DtStamp!.AsUtc);
        Assert.Equal(3, plenary.Attendees.Count);
        var li = plenary.Attendees.Single(a => a.Value?.ToString() == "mailto:li.na@example.edu");
        Assert.Equal("Li Na (李娜)", li.CommonName);
        Assert.Equal("REQ-PARTICIPANT", li.Role);
        Assert.Equal("TENTATIVE", li.ParticipationStatus);
        Assert.Equal("CANCELLED", Load(ics, TestData.CancelledId).Status);
        Assert.Equal(2, Ical.Net.Calendar.Load(ics)!.TimeZones.Count);
    }

    [Fact]
    public void The_long_title_survives_a_round_trip()
    {
        var e = TestData.Plenary() with { Title = FoldingAndEscapingTests.LongTitle };
        Assert.Equal(FoldingAndEscapingTests.LongTitle, Load(FeedRenderer.Render(TestData.Single(e)), e.EngagementId).Summary);
    }
}
