using CommissionPlanner.Calendar.Tests.Support;
using CommissionPlanner.Tests.IcalValidation;
using NodaTime;
using NodaTime.Text;

namespace CommissionPlanner.Calendar.Tests;

/// <summary>
/// The second independent parser: Debian's python3-icalendar (tests/Shared/python_icalendar.py). It reads instants two
/// ways, with pytz for the TZID (tzdb) and with the feed's own VTIMEZONE, and both must agree with NodaTime.
/// </summary>
public sealed class PythonIcalendarTests
{
    private static PyEvent Event(PyCalendar calendar, Guid id) => calendar.Events.Single(e => e.Uid == $"{id}@commission-planner");

    private static Task<PyCalendar> ParseAsync(FeedCalendar feed) => PythonIcalendar.ParseAsync(FeedRenderer.RenderUtf8(feed));

    [Fact]
    public async Task The_organiser_feed_is_read_with_its_headers_zones_and_events()
    {
        var result = await ParseAsync(TestData.Organiser());
        Assert.Equal(FeedRenderer.ProductId, result.Prodid);
        Assert.Equal("11th UK–China JCM 2025", result.Calname);
        Assert.Equal("PT1H", result.RefreshInterval);
        Assert.Equal(["Asia/Shanghai", "Europe/London"], result.Timezones);
        Assert.Equal(5, result.Events.Length);

        var plenary = Event(result, TestData.PlenaryId);
        Assert.Equal(3, plenary.Sequence);
        Assert.Equal("CONFIRMED", plenary.Status);
        Assert.Equal("11th UK–China Joint Commission: plenary", plenary.Summary);
        Assert.Equal("Asia/Shanghai", plenary.StartTzid);
        Assert.Equal("2025-11-11T02:00:00Z", plenary.StartUtc);
        Assert.Equal("2025-11-11T02:00:00Z", plenary.StartUtcByFeedZone);
        Assert.Equal(["meeting", "health research", "agriculture and food research"], plenary.Categories);
        Assert.Equal("mailto:secretariat@example.gov.uk", plenary.Organizer!.Value);
        Assert.Equal(
            ["mailto:alex.morgan@example.gov.uk", "mailto:li.na@example.edu", "urn:uuid:" + TestData.Interpreter],
            plenary.Attendees.Select(a => a.Value));
        Assert.Equal("Li Na (李娜)", plenary.Attendees[1].Cn);
        Assert.Equal("TENTATIVE", plenary.Attendees[1].Partstat);
        Assert.Equal("CANCELLED", Event(result, TestData.CancelledId).Status);
    }

    [Fact]
    public async Task A_persons_feed_shows_only_their_own_attendee_line_and_a_busy_feed_nothing_but_times_and_city()
    {
        var person = await ParseAsync(TestData.PersonFeed(TestData.Minister));
        Assert.All(person.Events, e => Assert.All(e.Attendees, a => Assert.Equal("mailto:alex.morgan@example.gov.uk", a.Value)));

        var busy = await ParseAsync(TestData.BusyFeed());
        Assert.All(busy.Events, e =>
        {
            Assert.Equal("Busy", e.Summary);
            Assert.Equal("PRIVATE", e.Class);
            Assert.Null(e.Description);
            Assert.Null(e.Organizer);
            Assert.Empty(e.Attendees);
        });
        Assert.Equal("Beijing", Event(busy, TestData.PlenaryId).Location);
    }

    [Fact]
    public async Task Embedded_timezones_agree_with_tzdb_across_DST_changes()
    {
        string[] zones = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo"];
        var events = new List<FeedEvent>();
        var expected = new Dictionary<Guid, string>();
        var index = 0;
        foreach (var zoneId in zones)
        {
            for (var date = new LocalDate(2025, 10, 1); date < new LocalDate(2027, 4, 1); date = date.PlusDays(11))
            {
                var local = date.At(new LocalTime(9 + (index % 10), 30));
                var id = new Guid(index++, 9, 9, new byte[8]);
                events.Add(TestData.Plenary() with { EngagementId = id, StartZone = zoneId, EndZone = zoneId, StartLocal = local, EndLocal = local.PlusHours(1), Attendees = [] });
                expected[id] = InstantPattern.General.Format(local.InZoneStrictly(DateTimeZoneProviders.Tzdb[zoneId]).ToInstant());
            }
        }

        var result = await ParseAsync(TestData.Organiser(events));
        Assert.Equal(events.Count, result.Events.Length);
        Assert.All(result.Events, e =>
        {
            Assert.Equal(expected[Guid.Parse(e.Uid[..36])], e.StartUtc);
            Assert.Equal(expected[Guid.Parse(e.Uid[..36])], e.StartUtcByFeedZone);
        });
    }

    public static TheoryData<string> OddTexts =>
    [
        FoldingAndEscapingTests.LongTitle,
        "مرحبا \u200Fبالوفد\u200E (RTL) \u202Bembedded\u202C \u2067isolate\u2069",
        "bell\u0007 and NUL\u0000 and DEL\u007F and C1\u0085 controls",
        "tab\tand\r\nCRLF and lone \uD83D surrogate",
    ];

    [Theory]
    [MemberData(nameof(OddTexts))]
    public async Task Odd_text_at_every_fold_position_is_read_back(string text)
    {
        // Every offset puts a different character (an emoji half, an escape, a bidi mark) at the 75th octet.
        var events = Enumerable.Range(0, 76).Select(pad => TestData.Plenary() with
        {
            EngagementId = new Guid(pad, 8, 8, new byte[8]),
            Title = new string('x', pad) + text,
            Description = text + new string('y', pad) + text,
        }).ToList();
        var bytes = FeedRenderer.RenderUtf8(TestData.Organiser(events) with { EventUrl = null });
        Ics.AssertWellFormedBytes(bytes);
        var result = await PythonIcalendar.ParseAsync(bytes);
        var js = await IcalJs.ValidateAsync(bytes);
        var clean = IcalNetWorkarounds.Text(text);
        for (var pad = 0; pad < events.Count; pad++)
        {
            var id = events[pad].EngagementId;
            var expected = new string('x', pad) + clean;
            Assert.Equal(expected, Event(result, id).Summary);
            Assert.Equal(expected, js.Events.Single(e => e.Uid == $"{id}@commission-planner").Summary);
            Assert.StartsWith(clean + new string('y', pad) + clean, Event(result, id).Description, StringComparison.Ordinal);
        }
    }
}
