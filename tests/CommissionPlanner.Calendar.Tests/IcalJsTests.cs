using CommissionPlanner.Calendar.Tests.Support;
using NodaTime;
using NodaTime.Text;

using CommissionPlanner.Tests.IcalValidation;

namespace CommissionPlanner.Calendar.Tests;

/// <summary>
/// Validation by an independent parser: Mozilla's ical.js under node (tests/ical-validator). Instants are
/// computed by ical.js from the VTIMEZONEs in the feed (it knows no zones of its own but UTC).
/// </summary>
public sealed class IcalJsTests
{
    private static JsEvent Event(JsCalendar calendar, Guid id) => calendar.Events.Single(e => e.Uid == $"{id}@commission-planner");

    private static async Task<JsCalendar> ValidateAsync(FeedCalendar feed)
    {
        var result = await IcalJs.ValidateAsync(FeedRenderer.RenderUtf8(feed));
        Assert.Empty(result.MissingZones);
        return result;
    }

    [Fact]
    public async Task Calendar_headers_are_read()
    {
        var result = await ValidateAsync(TestData.Organiser());
        Assert.Equal(FeedRenderer.ProductId, result.Prodid);
        Assert.Equal("2.0", result.Version);
        Assert.Equal("PUBLISH", result.Method);
        Assert.Equal("11th UK–China JCM 2025", result.Calname);
        Assert.Equal(["Asia/Shanghai", "Europe/London"], result.Timezones);
        Assert.Equal(5, result.Events.Length);
    }

    [Fact]
    public async Task Beijing_10_00_is_02_00_UTC()
    {
        var plenary = Event(await ValidateAsync(TestData.Organiser()), TestData.PlenaryId);
        Assert.Equal("Asia/Shanghai", plenary.StartTzid);
        Assert.Equal("2025-11-11T02:00:00Z", plenary.StartUtc);
        Assert.Equal("2025-11-11T04:00:00Z", plenary.EndUtc);
        Assert.Equal("2025-10-02T14:30:15Z", plenary.Dtstamp);
    }

    [Fact]
    public async Task London_09_00_is_09_00_UTC_before_and_08_00_UTC_after_the_March_change()
    {
        var result = await ValidateAsync(TestData.Organiser());
        Assert.Equal("2026-03-27T09:00:00Z", Event(result, TestData.LondonBeforeId).StartUtc);
        Assert.Equal("2026-03-30T08:00:00Z", Event(result, TestData.LondonAfterId).StartUtc);
        Assert.Equal("2026-03-30T10:00:00Z", Event(result, TestData.LondonAfterId).EndUtc);
    }

    [Fact]
    public async Task A_Beijing_13_00_to_London_17_30_flight_lasts_12_and_a_half_hours()
    {
        var flight = Event(await ValidateAsync(TestData.Organiser()), TestData.FlightId);
        Assert.Equal("Asia/Shanghai", flight.StartTzid);
        Assert.Equal("Europe/London", flight.EndTzid);
        Assert.Equal("2025-11-12T05:00:00Z", flight.StartUtc);
        Assert.Equal("2025-11-12T17:30:00Z", flight.EndUtc);
        Assert.Equal(
            "Beijing Capital International Airport (北京首都国际机场), Shunyi District → London Heathrow Airport, Hounslow TW6 1QG",
            flight.Location);
    }

    [Fact]
    public async Task Attendees_roles_and_PARTSTAT_are_read()
    {
        var plenary = Event(await ValidateAsync(TestData.Organiser()), TestData.PlenaryId);
        Assert.Equal(
        [
            new JsAttendee("mailto:alex.morgan@example.gov.uk", "Alex Morgan", "CHAIR", "ACCEPTED"),
            new JsAttendee("mailto:li.na@example.edu", "Li Na (李娜)", "REQ-PARTICIPANT", "TENTATIVE"),
            new JsAttendee("urn:uuid:33333333-3333-3333-3333-333333333333", "Sam Okafor", "OPT-PARTICIPANT", "NEEDS-ACTION"),
        ], plenary.Attendees);
        Assert.Equal(new JsOrganizer("mailto:secretariat@example.gov.uk", "JCM Secretariat"), plenary.Organizer);
        Assert.Equal(["meeting", "health research", "agriculture and food research"], plenary.Categories);
        Assert.Equal([39.9031, 116.3875], plenary.Geo!);
    }

    [Fact]
    public async Task A_cancelled_event_is_CANCELLED_with_its_bumped_SEQUENCE()
    {
        var result = await ValidateAsync(TestData.Organiser());
        var cancelled = Event(result, TestData.CancelledId);
        Assert.Equal("CANCELLED", cancelled.Status);
        Assert.Equal(5, cancelled.Sequence);
        Assert.Equal("2025-11-11T07:00:00Z", cancelled.StartUtc);
        Assert.Equal("TENTATIVE", Event(result, TestData.LondonBeforeId).Status);
    }

    [Fact]
    public async Task A_SEQUENCE_bump_is_seen_under_the_same_UID()
    {
        var before = Event(await ValidateAsync(TestData.Organiser()), TestData.PlenaryId);
        var moved = TestData.Plenary() with { Sequence = 4, StartLocal = new LocalDateTime(2025, 11, 11, 11, 0), UpdatedAt = TestData.Updated + Duration.FromMinutes(1) };
        var after = Event(await ValidateAsync(TestData.Single(moved)), TestData.PlenaryId);
        Assert.Equal(before.Uid, after.Uid);
        Assert.Equal(3, before.Sequence);
        Assert.Equal(4, after.Sequence);
        Assert.Equal("2025-11-11T03:00:00Z", after.StartUtc);
    }

    [Fact]
    public async Task The_long_Chinese_and_emoji_title_survives_folding_and_escaping()
    {
        var e = TestData.Plenary() with { Title = FoldingAndEscapingTests.LongTitle, Description = FoldingAndEscapingTests.LongTitle };
        var plenary = Event(await ValidateAsync(TestData.Single(e) with { EventUrl = null }), e.EngagementId);
        Assert.Equal(FoldingAndEscapingTests.LongTitle, plenary.Summary);
        Assert.Equal(FoldingAndEscapingTests.LongTitle + "\nHost: Ministry of Science and Technology", plenary.Description);
    }

    [Fact]
    public async Task A_persons_feed_shows_only_their_own_attendee_line()
    {
        var result = await ValidateAsync(TestData.PersonFeed(TestData.Minister));
        Assert.All(result.Events, e => Assert.All(e.Attendees, a => Assert.Equal("mailto:alex.morgan@example.gov.uk", a.Value)));
        Assert.Single(Event(result, TestData.PlenaryId).Attendees);
    }

    [Fact]
    public async Task A_busy_feed_hides_everything_but_times_and_city()
    {
        var result = await ValidateAsync(TestData.BusyFeed());
        Assert.All(result.Events, e =>
        {
            Assert.Equal("Busy", e.Summary);
            Assert.Equal("PRIVATE", e.Class);
            Assert.Null(e.Description);
            Assert.Null(e.Url);
            Assert.Null(e.Organizer);
            Assert.Empty(e.Attendees);
            Assert.Empty(e.Categories);
        });
        Assert.Equal("2025-11-11T02:00:00Z", Event(result, TestData.PlenaryId).StartUtc);
    }

    [Fact]
    public async Task Embedded_timezones_agree_with_tzdb_for_every_week_in_many_zones()
    {
        // ical.js's instants come only from our VTIMEZONEs: check them against NodaTime across DST changes,
        // in both hemispheres, a half-hour zone, and a zone that abolished DST.
        string[] zones = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Shanghai", "Asia/Kolkata", "America/Sao_Paulo", "Europe/Berlin"];
        var events = new List<FeedEvent>();
        var expected = new Dictionary<Guid, string>();
        var pattern = InstantPattern.General;
        var index = 0;
        foreach (var zoneId in zones)
        {
            var zone = DateTimeZoneProviders.Tzdb[zoneId];
            for (var date = new LocalDate(2025, 10, 1); date < new LocalDate(2027, 12, 31); date = date.PlusDays(7))
            {
                var local = date.At(new LocalTime(9 + (index % 10), 30));
                var id = new Guid(index++, 0, 0, new byte[8]);
                events.Add(TestData.Plenary() with
                {
                    EngagementId = id,
                    StartZone = zoneId,
                    EndZone = zoneId,
                    StartLocal = local,
                    EndLocal = local.PlusHours(1),
                    Attendees = [],
                });
                expected[id] = pattern.Format(local.InZoneStrictly(zone).ToInstant());
            }
        }

        var result = await ValidateAsync(TestData.Organiser(events));
        Assert.Equal(events.Count, result.Events.Length);
        Assert.All(result.Events, e => Assert.Equal(expected[Guid.Parse(e.Uid[..36])], e.StartUtc));
    }

    [Fact]
    public async Task A_zone_without_DST_any_more_is_not_given_daylight_time()
    {
        var e = TestData.Plenary() with
        {
            StartZone = "America/Sao_Paulo",
            EndZone = "America/Sao_Paulo",
            StartLocal = new LocalDateTime(2019, 12, 1, 10, 0),
            EndLocal = new LocalDateTime(2019, 12, 1, 11, 0),
        };
        var earlier = e with
        {
            EngagementId = Guid.NewGuid(),
            StartLocal = new LocalDateTime(2018, 12, 1, 10, 0),
            EndLocal = new LocalDateTime(2018, 12, 1, 11, 0),
        };
        var result = await ValidateAsync(TestData.Organiser([e, earlier]));
        Assert.Equal("2019-12-01T13:00:00Z", Event(result, e.EngagementId).StartUtc);
        Assert.Equal("2018-12-01T12:00:00Z", Event(result, earlier.EngagementId).StartUtc);
    }
}
