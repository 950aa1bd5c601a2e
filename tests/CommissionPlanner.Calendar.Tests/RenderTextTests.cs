using CommissionPlanner.Calendar.Tests.Support;
using NodaTime;

namespace CommissionPlanner.Calendar.Tests;

public sealed class RenderTextTests
{
    private static IReadOnlyList<string> Event(string ics, Guid id) =>
        Ics.Components(ics, "VEVENT").Single(e => Ics.Value(e, "UID") == $"{id}@commission-planner");

    private static List<string> CalendarProps(string ics) =>
        Ics.LogicalLines(ics).TakeWhile(l => l != "BEGIN:VTIMEZONE" && l != "BEGIN:VEVENT").ToList();

    [Fact]
    public void Calendar_has_the_publishing_headers()
    {
        var ics = FeedRenderer.Render(TestData.Organiser());
        var lines = Ics.LogicalLines(ics);
        Assert.Equal("BEGIN:VCALENDAR", lines[0]);
        Assert.Equal("END:VCALENDAR", lines[^1]);
        var props = CalendarProps(ics);
        Assert.Equal(FeedRenderer.ProductId, Ics.Value(props, "PRODID"));
        Assert.Equal("2.0", Ics.Value(props, "VERSION"));
        Assert.Equal("GREGORIAN", Ics.Value(props, "CALSCALE"));
        Assert.Equal("PUBLISH", Ics.Value(props, "METHOD"));
        Assert.Equal("11th UK–China JCM 2025", Ics.Value(props, "X-WR-CALNAME"));
        Assert.Equal("Asia/Shanghai", Ics.Value(props, "X-WR-TIMEZONE"));
        Assert.Contains("REFRESH-INTERVAL;VALUE=DURATION:PT1H", props);
        Assert.Contains("X-PUBLISHED-TTL:PT1H", props);
    }

    [Fact]
    public void Refresh_interval_follows_the_configuration()
    {
        var ics = FeedRenderer.Render(TestData.Organiser() with { RefreshInterval = Duration.FromMinutes(90) });
        Assert.Contains("REFRESH-INTERVAL;VALUE=DURATION:PT1H30M", CalendarProps(ics));
        Assert.Contains("X-PUBLISHED-TTL:PT1H30M", CalendarProps(ics));
    }

    [Theory]
    [InlineData(3600, "PT1H")]
    [InlineData(900, "PT15M")]
    [InlineData(86400, "P1D")]
    [InlineData(90061, "P1DT1H1M1S")]
    [InlineData(3605, "PT1H0M5S")]
    [InlineData(45, "PT45S")]
    public void Durations_follow_the_RFC_5545_grammar(long seconds, string expected) =>
        Assert.Equal(expected, FeedRenderer.DurationValue(Duration.FromSeconds(seconds)));

    [Fact]
    public void A_zero_refresh_interval_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FeedRenderer.Render(TestData.Organiser() with { RefreshInterval = Duration.Zero }));

    [Fact]
    public void One_VEVENT_per_event_with_a_stable_UID_and_the_event_SEQUENCE()
    {
        var ics = FeedRenderer.Render(TestData.Organiser());
        var events = Ics.Components(ics, "VEVENT");
        Assert.Equal(5, events.Count);
        var plenary = Event(ics, TestData.PlenaryId);
        Assert.Equal("a0000000-0000-0000-0000-000000000001@commission-planner", Ics.Value(plenary, "UID"));
        Assert.Equal("3", Ics.Value(plenary, "SEQUENCE"));
        Assert.Equal("5", Ics.Value(Event(ics, TestData.CancelledId), "SEQUENCE"));
    }

    [Fact]
    public void DTSTAMP_CREATED_and_LAST_MODIFIED_come_from_the_event_in_UTC()
    {
        var plenary = Event(FeedRenderer.Render(TestData.Organiser()), TestData.PlenaryId);
        Assert.Equal("20251002T143015Z", Ics.Value(plenary, "DTSTAMP"));
        Assert.Equal("20251002T143015Z", Ics.Value(plenary, "LAST-MODIFIED"));
        Assert.Equal("20250901T080000Z", Ics.Value(plenary, "CREATED"));
    }

    [Fact]
    public void Start_and_end_are_local_times_with_the_venue_TZID()
    {
        var ics = FeedRenderer.Render(TestData.Organiser());
        var plenary = Event(ics, TestData.PlenaryId);
        Assert.Equal(["DTSTART;TZID=Asia/Shanghai:20251111T100000"], Ics.Props(plenary, "DTSTART"));
        Assert.Equal(["DTEND;TZID=Asia/Shanghai:20251111T120000"], Ics.Props(plenary, "DTEND"));
        var london = Event(ics, TestData.LondonAfterId);
        Assert.Equal(["DTSTART;TZID=Europe/London:20260330T090000"], Ics.Props(london, "DTSTART"));
    }

    [Fact]
    public void A_travel_leg_starts_in_the_departure_zone_and_ends_in_the_arrival_zone()
    {
        var flight = Event(FeedRenderer.Render(TestData.Organiser()), TestData.FlightId);
        Assert.Equal(["DTSTART;TZID=Asia/Shanghai:20251112T130000"], Ics.Props(flight, "DTSTART"));
        Assert.Equal(["DTEND;TZID=Europe/London:20251112T173000"], Ics.Props(flight, "DTEND"));
    }

    [Fact]
    public void No_time_is_floating_and_every_date_time_is_zoned_or_UTC()
    {
        var ics = FeedRenderer.Render(TestData.Organiser());
        foreach (var e in Ics.Components(ics, "VEVENT"))
        {
            foreach (var line in e.Where(l => l.StartsWith("DT", StringComparison.Ordinal) || l.StartsWith("CREATED", StringComparison.Ordinal) || l.StartsWith("LAST-MODIFIED", StringComparison.Ordinal)))
            {
                Assert.True(line.Contains(";TZID=", StringComparison.Ordinal) || line.EndsWith('Z'), line);
            }
        }
    }

    [Theory]
    [InlineData("tentative", false, "TENTATIVE")]
    [InlineData("confirmed", false, "CONFIRMED")]
    [InlineData("cancelled", false, "CANCELLED")]
    [InlineData("confirmed", true, "TENTATIVE")]
    [InlineData("tentative", true, "TENTATIVE")]
    [InlineData("cancelled", true, "CANCELLED")]
    public void STATUS_follows_the_engagement_and_a_pending_review(string status, bool reviewPending, string expected)
    {
        var e = TestData.Plenary() with { Status = status, ReviewPending = reviewPending };
        Assert.Equal(expected, Ics.Value(Event(FeedRenderer.Render(TestData.Single(e)), e.EngagementId), "STATUS"));
    }

    [Fact]
    public void An_unknown_status_leaves_the_event_in_the_feed_without_a_status()
    {
        // One row's content never fails a feed: the event keeps its identity, times and summary.
        var ics = FeedRenderer.Render(TestData.Single(TestData.Plenary() with { Status = "maybe" }));
        var e = Event(ics, TestData.PlenaryId);
        Assert.Null(Ics.Value(e, "STATUS"));
        Assert.Equal("11th UK–China Joint Commission: plenary", Ics.UnescapeText(Ics.Value(e, "SUMMARY")!));
        Assert.Equal("20251111T020000Z", Ics.Value(e, "DTSTART"));
    }

    [Fact]
    public void Full_detail_has_summary_description_location_geo_categories_and_url()
    {
        var plenary = Event(FeedRenderer.Render(TestData.Organiser()), TestData.PlenaryId);
        Assert.Equal("11th UK–China Joint Commission: plenary", Ics.UnescapeText(Ics.Value(plenary, "SUMMARY")!));
        Assert.Equal(
            "Agenda: opening remarks; four agreed areas\nHost: Ministry of Science and Technology\n"
            + "https://planner.example.org/engagements/a0000000-0000-0000-0000-000000000001",
            Ics.UnescapeText(Ics.Value(plenary, "DESCRIPTION")!));
        Assert.Equal(
            "Great Hall of the People (人民大会堂)\\, 1 Xichang'an Street\\, Xicheng District",
            Ics.Value(plenary, "LOCATION"));
        Assert.Equal("39.903100;116.387500", Ics.Value(plenary, "GEO"));
        Assert.Equal("meeting,health research,agriculture and food research", Ics.Value(plenary, "CATEGORIES"));
        Assert.Equal("https://planner.example.org/engagements/a0000000-0000-0000-0000-000000000001", Ics.Value(plenary, "URL"));
        Assert.Null(Ics.Value(plenary, "CLASS"));
    }

    [Fact]
    public void A_travel_leg_shows_mode_reference_and_from_to_location()
    {
        var flight = Event(FeedRenderer.Render(TestData.Organiser()), TestData.FlightId);
        Assert.Equal(
            "Beijing Capital International Airport (北京首都国际机场), Shunyi District → London Heathrow Airport, Hounslow TW6 1QG",
            Ics.UnescapeText(Ics.Value(flight, "LOCATION")!));
        var description = Ics.UnescapeText(Ics.Value(flight, "DESCRIPTION")!);
        Assert.Contains("Travel: flight", description, StringComparison.Ordinal);
        Assert.Contains("Reference: CA937", description, StringComparison.Ordinal);
        Assert.Equal("travel", Ics.Value(flight, "CATEGORIES"));
        Assert.Equal("40.079900;116.603100", Ics.Value(flight, "GEO"));
    }

    [Fact]
    public void Without_an_event_url_there_is_no_URL_and_no_link_in_the_description()
    {
        var e = TestData.Plenary() with { Description = null, Host = null };
        var vevent = Event(FeedRenderer.Render(TestData.Single(e) with { EventUrl = null }), e.EngagementId);
        Assert.Null(Ics.Value(vevent, "URL"));
        Assert.Null(Ics.Value(vevent, "DESCRIPTION"));
    }

    [Fact]
    public void Busy_detail_shows_only_times_Busy_and_the_city()
    {
        var ics = FeedRenderer.Render(TestData.BusyFeed());
        Assert.DoesNotContain("plenary", ics, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Great Hall", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("@example", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("urn:uuid", ics, StringComparison.Ordinal);
        foreach (var e in Ics.Components(ics, "VEVENT"))
        {
            Assert.Equal("Busy", Ics.Value(e, "SUMMARY"));
            Assert.Equal("PRIVATE", Ics.Value(e, "CLASS"));
            foreach (var hidden in new[] { "DESCRIPTION", "GEO", "CATEGORIES", "URL", "ATTENDEE", "ORGANIZER" })
            {
                Assert.Empty(Ics.Props(e, hidden));
            }

            Assert.Single(Ics.Props(e, "DTSTART"));
            Assert.Single(Ics.Props(e, "DTEND"));
        }

        Assert.Equal("Beijing", Ics.Value(Event(ics, TestData.PlenaryId), "LOCATION"));
        Assert.Equal("Beijing → London", Ics.UnescapeText(Ics.Value(Event(ics, TestData.FlightId), "LOCATION")!));
        Assert.Equal("CANCELLED", Ics.Value(Event(ics, TestData.CancelledId), "STATUS"));
    }

    [Fact]
    public void Organizer_is_written_with_CN_and_mailto_in_full_detail()
    {
        var plenary = Event(FeedRenderer.Render(TestData.Organiser()), TestData.PlenaryId);
        Assert.Equal(["ORGANIZER;CN=JCM Secretariat:mailto:secretariat@example.gov.uk"], Ics.Props(plenary, "ORGANIZER"));
        var none = Event(FeedRenderer.Render(TestData.Organiser() with { OrganizerEmail = null, OrganizerName = null }), TestData.PlenaryId);
        Assert.Empty(Ics.Props(none, "ORGANIZER"));
    }

    [Fact]
    public void Organiser_feeds_list_every_attendee_with_CN_ROLE_and_PARTSTAT()
    {
        var attendees = Ics.Props(Event(FeedRenderer.Render(TestData.Organiser()), TestData.PlenaryId), "ATTENDEE");
        Assert.Equal(3, attendees.Count);
        Assert.Contains("ATTENDEE;CN=Alex Morgan;ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:alex.morgan@example.gov.uk", attendees);
        Assert.Contains("ATTENDEE;CN=Li Na (李娜);ROLE=REQ-PARTICIPANT;PARTSTAT=TENTATIVE:mailto:li.na@example.edu", attendees);
        Assert.Contains("ATTENDEE;CN=Sam Okafor;ROLE=OPT-PARTICIPANT;PARTSTAT=NEEDS-ACTION:urn:uuid:33333333-3333-3333-3333-333333333333", attendees);
    }

    [Fact]
    public void Declined_replies_show_as_DECLINED()
    {
        var e = TestData.Plenary() with { Attendees = [TestData.AcademicAttendee with { Response = "declined" }] };
        var attendee = Assert.Single(Ics.Props(Event(FeedRenderer.Render(TestData.Single(e)), e.EngagementId), "ATTENDEE"));
        Assert.Contains(";PARTSTAT=DECLINED", attendee, StringComparison.Ordinal);
    }

    [Fact]
    public void A_persons_feed_has_only_their_own_attendee_line_and_no_one_elses_email()
    {
        var ics = FeedRenderer.Render(TestData.PersonFeed(TestData.Academic));
        Assert.DoesNotContain("alex.morgan@example.gov.uk", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("33333333-3333-3333-3333-333333333333", ics, StringComparison.Ordinal);
        var plenary = Ics.Props(Event(ics, TestData.PlenaryId), "ATTENDEE");
        Assert.Equal(["ATTENDEE;CN=Li Na (李娜);ROLE=REQ-PARTICIPANT;PARTSTAT=TENTATIVE:mailto:li.na@example.edu"], plenary);
        // Events the person is not on carry no ATTENDEE at all.
        Assert.Empty(Ics.Props(Event(ics, TestData.LondonBeforeId), "ATTENDEE"));
    }

    [Fact]
    public void A_feed_that_is_neither_organiser_nor_personal_lists_no_attendees()
    {
        var ics = FeedRenderer.Render(TestData.Organiser() with { ShowAllAttendees = false, OwnerPersonId = null });
        Assert.DoesNotContain("ATTENDEE", ics, StringComparison.Ordinal);
    }

    [Fact]
    public void Events_are_sorted_by_start_instant_then_id()
    {
        var twin = TestData.Plenary() with { EngagementId = Guid.Parse("00000000-0000-0000-0000-0000000000ff") };
        var ics = FeedRenderer.Render(TestData.Organiser([.. TestData.All(), twin]));
        var uids = Ics.Components(ics, "VEVENT").Select(e => Ics.Value(e, "UID")![..36]).ToList();
        Assert.Equal(
        [
            "00000000-0000-0000-0000-0000000000ff",
            TestData.PlenaryId.ToString(),
            TestData.CancelledId.ToString(),
            TestData.FlightId.ToString(),
            TestData.LondonBeforeId.ToString(),
            TestData.LondonAfterId.ToString(),
        ], uids);
    }

    [Fact]
    public void Sorting_uses_instants_not_local_times()
    {
        // 09:00 in London (09:00Z) is after 10:00 in Shanghai (02:00Z) on the same day.
        var shanghai = TestData.Plenary() with { StartLocal = new LocalDateTime(2025, 11, 20, 10, 0), EndLocal = new LocalDateTime(2025, 11, 20, 11, 0) };
        var london = TestData.LondonBefore() with { StartLocal = new LocalDateTime(2025, 11, 20, 9, 0), EndLocal = new LocalDateTime(2025, 11, 20, 10, 0) };
        var ics = FeedRenderer.Render(TestData.Organiser([london, shanghai]));
        var uids = Ics.Components(ics, "VEVENT").Select(e => Ics.Value(e, "UID")).ToList();
        Assert.Equal([$"{TestData.PlenaryId}@commission-planner", $"{TestData.LondonBeforeId}@commission-planner"], uids);
    }

    [Fact]
    public void Rendering_is_deterministic_and_independent_of_input_order()
    {
        var first = FeedRenderer.RenderUtf8(TestData.Organiser());
        var second = FeedRenderer.RenderUtf8(TestData.Organiser());
        var reversed = FeedRenderer.RenderUtf8(TestData.Organiser(TestData.All().Reverse().ToList()));
        Assert.Equal(first, second);
        Assert.Equal(first, reversed);
    }

    [Fact]
    public void Nothing_depends_on_now()
    {
        var ics = FeedRenderer.Render(TestData.Organiser());
        var today = DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.DoesNotContain(today, ics, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_feed_is_a_valid_calendar_without_timezones()
    {
        var ics = FeedRenderer.Render(TestData.Organiser([]));
        Assert.Empty(Ics.Components(ics, "VEVENT"));
        Assert.Empty(Ics.Components(ics, "VTIMEZONE"));
        Ics.AssertWellFormedBytes(Ics.Bytes(ics));
    }

    [Fact]
    public void An_event_in_an_unknown_time_zone_is_left_out_and_the_rest_of_the_feed_is_served()
    {
        var events = TestData.Organiser().Events.Select(e => e.EngagementId == TestData.PlenaryId ? e with { StartZone = "Mars/Olympus" } : e).ToList();
        var ics = FeedRenderer.Render(TestData.Organiser(events));
        var uids = Ics.Components(ics, "VEVENT").Select(e => Ics.Value(e, "UID")).ToList();
        Assert.Equal(events.Count - 1, uids.Count);
        Assert.DoesNotContain(TestData.PlenaryId + FeedRenderer.UidSuffix, uids);
        Assert.DoesNotContain("Mars/Olympus", ics, StringComparison.Ordinal);
    }
}
