using CommissionPlanner.Calendar.Tests.Support;
using NodaTime;

namespace CommissionPlanner.Calendar.Tests;

public sealed class TimeZoneTests
{
    private static IReadOnlyList<string> Zone(string ics, string tzid) =>
        Ics.Components(ics, "VTIMEZONE").Single(z => Ics.Value(z, "TZID") == tzid);

    private static List<IReadOnlyList<string>> Observances(IReadOnlyList<string> zoneLines, string kind)
    {
        // Re-read the zone's text to get its sub-components.
        var text = string.Join("\r\n", zoneLines) + "\r\n";
        return [.. Ics.Components(text, kind)];
    }

    private static FeedEvent At(string zone, int year, int month, int day, int hour = 9) => TestData.Plenary() with
    {
        EngagementId = Guid.NewGuid(),
        StartZone = zone,
        EndZone = zone,
        StartLocal = new LocalDateTime(year, month, day, hour, 0),
        EndLocal = new LocalDateTime(year, month, day, hour + 1, 0),
    };

    [Fact]
    public void Every_TZID_used_has_exactly_one_VTIMEZONE()
    {
        var ics = FeedRenderer.Render(TestData.Organiser());
        var zones = Ics.Components(ics, "VTIMEZONE").Select(z => Ics.Value(z, "TZID")).ToList();
        Assert.Equal(["Asia/Shanghai", "Europe/London"], zones);
        var used = Ics.Components(ics, "VEVENT")
            .SelectMany(e => e.Where(l => l.Contains(";TZID=", StringComparison.Ordinal)))
            .Select(l => l.Split(";TZID=")[1].Split(':')[0])
            .Distinct();
        Assert.All(used, tzid => Assert.Contains(tzid, zones));
    }

    [Fact]
    public void Europe_London_has_GMT_and_BST_observances_with_last_Sunday_rules()
    {
        var london = Zone(FeedRenderer.Render(TestData.Organiser()), "Europe/London");
        var standard = Assert.Single(Observances(london, "STANDARD"));
        var daylight = Assert.Single(Observances(london, "DAYLIGHT"));

        Assert.Equal("+0100", Ics.Value(standard, "TZOFFSETFROM"));
        Assert.Equal("+0000", Ics.Value(standard, "TZOFFSETTO"));
        Assert.Equal("GMT", Ics.Value(standard, "TZNAME"));
        Assert.Equal("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", Ics.Value(standard, "RRULE"));
        // Anchored to the transition before the earliest event (11 Nov 2025), not to today.
        Assert.Equal("20251026T020000", Ics.Value(standard, "DTSTART"));

        Assert.Equal("+0000", Ics.Value(daylight, "TZOFFSETFROM"));
        Assert.Equal("+0100", Ics.Value(daylight, "TZOFFSETTO"));
        Assert.Equal("BST", Ics.Value(daylight, "TZNAME"));
        Assert.Equal("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", Ics.Value(daylight, "RRULE"));
        Assert.Equal("20260329T010000", Ics.Value(daylight, "DTSTART"));
    }

    [Fact]
    public void Asia_Shanghai_has_one_STANDARD_at_plus_eight_and_no_DAYLIGHT()
    {
        var shanghai = Zone(FeedRenderer.Render(TestData.Organiser()), "Asia/Shanghai");
        var standard = Assert.Single(Observances(shanghai, "STANDARD"));
        Assert.Empty(Observances(shanghai, "DAYLIGHT"));
        Assert.Equal("+0800", Ics.Value(standard, "TZOFFSETTO"));
        Assert.Equal("CST", Ics.Value(standard, "TZNAME"));
        // Its last transition (September 1991) is a one-off: no invented yearly rule.
        Assert.Null(Ics.Value(standard, "RRULE"));
        Assert.Empty(Ics.Props(standard, "RDATE"));
    }

    [Fact]
    public void The_range_follows_the_events_not_today()
    {
        var ics = FeedRenderer.Render(TestData.Organiser([At("Europe/London", 2031, 7, 1)]));
        var london = Zone(ics, "Europe/London");
        // 1 July 2031 is in BST, which began on 30 March 2031.
        Assert.Equal("20310330T010000", Ics.Value(Observances(london, "DAYLIGHT")[0], "DTSTART"));
        Assert.Equal("20311026T020000", Ics.Value(Observances(london, "STANDARD")[0], "DTSTART"));
    }

    [Fact]
    public void A_zone_that_abolished_DST_gets_no_open_ended_rule()
    {
        // Brazil ended DST in 2019: the last BRST period ran from 4 Nov 2018 to 17 Feb 2019.
        var ics = FeedRenderer.Render(TestData.Organiser([At("America/Sao_Paulo", 2018, 12, 1), At("America/Sao_Paulo", 2019, 12, 1)]));
        var zone = Zone(ics, "America/Sao_Paulo");
        var daylight = Assert.Single(Observances(zone, "DAYLIGHT"));
        var standard = Assert.Single(Observances(zone, "STANDARD"));
        Assert.Equal("20181104T000000", Ics.Value(daylight, "DTSTART"));
        Assert.Equal("-0200", Ics.Value(daylight, "TZOFFSETTO"));
        Assert.Null(Ics.Value(daylight, "RRULE"));
        Assert.Equal("20190217T000000", Ics.Value(standard, "DTSTART"));
        Assert.Equal("-0300", Ics.Value(standard, "TZOFFSETTO"));
        Assert.Null(Ics.Value(standard, "RRULE"));
    }

    [Fact]
    public void A_rule_that_stops_inside_the_range_is_bounded_with_UNTIL()
    {
        // Sao Paulo 2015-2019: yearly DST rules that tzdb stops following after February 2019.
        var ics = FeedRenderer.Render(TestData.Organiser([At("America/Sao_Paulo", 2015, 1, 10), At("America/Sao_Paulo", 2019, 6, 1)]));
        var zone = Zone(ics, "America/Sao_Paulo");
        foreach (var observance in Observances(zone, "STANDARD").Concat(Observances(zone, "DAYLIGHT")))
        {
            var rule = Ics.Value(observance, "RRULE");
            Assert.True(rule is null || rule.Contains("UNTIL=", StringComparison.Ordinal), rule);
        }
    }

    [Fact]
    public void Zones_without_any_transition_get_a_fixed_STANDARD()
    {
        var ics = FeedRenderer.Render(TestData.Organiser([At("Etc/GMT-3", 2026, 5, 1)]));
        var standard = Assert.Single(Observances(Zone(ics, "Etc/GMT-3"), "STANDARD"));
        Assert.Equal("+0300", Ics.Value(standard, "TZOFFSETFROM"));
        Assert.Equal("+0300", Ics.Value(standard, "TZOFFSETTO"));
        Assert.Equal("19700101T000000", Ics.Value(standard, "DTSTART"));
    }

    [Fact]
    public void Transitions_match_tzdb_for_the_whole_range()
    {
        var zone = DateTimeZoneProviders.Tzdb["Europe/London"];
        var transitions = TimeZoneComponents.Transitions(zone, Instant.FromUtc(2025, 10, 1, 0, 0), Instant.FromUtc(2028, 1, 1, 0, 0));
        Assert.Equal(
        [
            "2025-10-26T01:00:00Z +01 → +00 GMT",
            "2026-03-29T01:00:00Z +00 → +01 BST",
            "2026-10-25T01:00:00Z +01 → +00 GMT",
            "2027-03-28T01:00:00Z +00 → +01 BST",
            "2027-10-31T01:00:00Z +01 → +00 GMT",
        ], transitions.Select(t => $"{t.At} {t.From} → {t.To} {t.Name}"));
    }

    [Theory]
    [InlineData(2026, 3, -1, "2026-03-29")]
    [InlineData(2026, 10, -1, "2026-10-25")]
    [InlineData(2026, 3, 2, "2026-03-08")]
    [InlineData(2026, 11, 1, "2026-11-01")]
    public void Nth_weekday_of_month(int year, int month, int ordinal, string expected) =>
        Assert.Equal(expected, TimeZoneComponents.NthWeekdayOfMonth(year, month, IsoDayOfWeek.Sunday, ordinal).ToString("yyyy-MM-dd", null));

    [Fact]
    public void Timezones_are_byte_stable_for_the_same_events()
    {
        var events = new[] { At("America/New_York", 2026, 11, 1), At("Australia/Sydney", 2026, 4, 5), At("Asia/Kolkata", 2026, 1, 1) };
        Assert.Equal(FeedRenderer.Render(TestData.Organiser(events)), FeedRenderer.Render(TestData.Organiser(events)));
    }
}
