using System.Text;
using CommissionPlanner.Calendar.Tests.Support;
using CommissionPlanner.Tests.IcalValidation;
using NodaTime;

namespace CommissionPlanner.Calendar.Tests;

/// <summary>
/// iTIP objects for e-mail (RFC 5546/6047): the feed's VEVENT plus what iTIP requires, read back by Ical.Net, ical.js and
/// python-icalendar.
/// </summary>
public sealed class InvitationRendererTests
{
    private static readonly Instant Now = Instant.FromUtc(2025, 10, 3, 9, 15, 0);

    /// <summary>Li Na's own feed, as FeedService renders a person's feed: no organiser.</summary>
    private static FeedCalendar Feed(params FeedEvent[] events) =>
        TestData.PersonFeed(TestData.Academic, events) with { OrganizerName = null, OrganizerEmail = null };

    /// <summary>The calendar an e-mail to Li Na renders from: her view, with the planner's organiser.</summary>
    private static FeedCalendar Mail(params FeedEvent[] events) =>
        TestData.PersonFeed(TestData.Academic, events) with { OrganizerName = "JCM Secretariat", OrganizerEmail = "secretariat@example.gov.uk" };

    private static string Render(FeedEvent e, InvitationMethod method = InvitationMethod.Request) =>
        Encoding.UTF8.GetString(InvitationRenderer.RenderInvitation(Mail(e), e, method, Now));

    private static IReadOnlyList<string> Vevent(string ics) => Assert.Single(Ics.Components(ics, "VEVENT"));

    [Fact]
    public void A_request_has_METHOD_REQUEST_and_the_UID_and_SEQUENCE_of_the_feed()
    {
        var e = TestData.Plenary();
        var feed = Ical.Net.Calendar.Load(FeedRenderer.Render(Feed(e)))!.Events.Single();
        var invitation = Ical.Net.Calendar.Load(Render(e))!;

        Assert.Equal("REQUEST", invitation.Method);
        Assert.Equal(FeedRenderer.ProductId, invitation.ProductId);
        var vevent = Assert.Single(invitation.Events);
        Assert.Equal(feed.Uid, vevent.Uid);
        Assert.Equal($"{TestData.PlenaryId}@commission-planner", vevent.Uid);
        Assert.Equal(feed.Sequence, vevent.Sequence);
        Assert.Equal(3, vevent.Sequence);
    }

    [Fact]
    public void The_calendar_has_none_of_the_feeds_own_properties()
    {
        var lines = Ics.LogicalLines(Render(TestData.Plenary()));
        var header = lines.TakeWhile(l => !l.StartsWith("BEGIN:VTIMEZONE", StringComparison.Ordinal)).ToList();
        string[] expected = ["BEGIN:VCALENDAR", "PRODID:" + FeedRenderer.ProductId, "VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:REQUEST"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), header.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("X-WR-", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("REFRESH-INTERVAL", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("X-PUBLISHED-TTL", StringComparison.Ordinal));
    }

    [Fact]
    public void The_VEVENT_is_the_feeds_with_the_messages_DTSTAMP_an_ORGANIZER_and_RSVP()
    {
        var e = TestData.Plenary();
        var feed = Vevent(FeedRenderer.Render(Feed(e)));
        var invitation = Vevent(Render(e));

        Assert.Equal("20251003T091500Z", Ics.Value(invitation, "DTSTAMP"));
        Assert.Equal(
            "ORGANIZER;CN=JCM Secretariat:mailto:secretariat@example.gov.uk",
            Assert.Single(Ics.Props(invitation, "ORGANIZER")));
        Assert.Empty(Ics.Props(feed, "ORGANIZER"));
        var attendee = Assert.Single(Ics.Props(invitation, "ATTENDEE"));
        Assert.Contains(";RSVP=TRUE", attendee, StringComparison.Ordinal);
        Assert.Equal(Assert.Single(Ics.Props(feed, "ATTENDEE")), attendee.Replace(";RSVP=TRUE", string.Empty, StringComparison.Ordinal));

        string[] differ = ["DTSTAMP", "ORGANIZER", "ATTENDEE"];
        bool Same(string line) => !differ.Any(p => Ics.Props([line], p).Count > 0);
        Assert.Equal(feed.Where(Same), invitation.Where(Same));
    }

    [Fact]
    public void DTSTART_and_DTEND_are_in_the_venues_zones_with_a_VTIMEZONE_for_each()
    {
        var ics = Render(TestData.Flight());
        var vevent = Vevent(ics);
        Assert.Equal("DTSTART;TZID=Asia/Shanghai:20251112T130000", Assert.Single(Ics.Props(vevent, "DTSTART")));
        Assert.Equal("DTEND;TZID=Europe/London:20251112T173000", Assert.Single(Ics.Props(vevent, "DTEND")));
        Assert.Equal(["Asia/Shanghai", "Europe/London"], Ics.Components(ics, "VTIMEZONE").Select(z => Ics.Value(z, "TZID")));

        var flight = Ical.Net.Calendar.Load(ics)!.Events.Single();
        Assert.Equal(new DateTime(2025, 11, 12, 5, 0, 0, DateTimeKind.Utc), flight.DtStart!.AsUtc);
        Assert.Equal(new DateTime(2025, 11, 12, 17, 30, 0, DateTimeKind.Utc), flight.DtEnd!.AsUtc);
    }

    [Fact]
    public void A_cancel_is_STATUS_CANCELLED_whatever_the_engagements_status_and_asks_for_no_reply()
    {
        var e = TestData.Plenary();
        var ics = Render(e, InvitationMethod.Cancel);
        Assert.Contains("METHOD:CANCEL", Ics.LogicalLines(ics));
        var vevent = Vevent(ics);
        Assert.Equal("CANCELLED", Ics.Value(vevent, "STATUS"));
        Assert.Equal("3", Ics.Value(vevent, "SEQUENCE"));
        Assert.Equal($"{TestData.PlenaryId}@commission-planner", Ics.Value(vevent, "UID"));
        Assert.DoesNotContain("RSVP", Assert.Single(Ics.Props(vevent, "ATTENDEE")), StringComparison.Ordinal);
        Assert.Single(Ics.Props(vevent, "ORGANIZER"));
    }

    [Fact]
    public void Only_the_recipients_attendee_line_appears()
    {
        var attendees = Ics.Props(Vevent(Render(TestData.Plenary())), "ATTENDEE");
        var line = Assert.Single(attendees);
        Assert.EndsWith(":mailto:li.na@example.edu", line, StringComparison.Ordinal);
        Assert.Contains("CN=Li Na (李娜)", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("secretariat")]
    [InlineData("secretariat@example.gov.uk\r\nATTENDEE:mailto:x@evil.example")]
    public void Without_a_usable_organiser_address_there_is_no_invitation(string? organizerEmail)
    {
        var e = TestData.Plenary();
        Assert.Throws<ArgumentException>(() =>
            InvitationRenderer.RenderInvitation(Mail(e) with { OrganizerEmail = organizerEmail }, e, InvitationMethod.Request, Now));
    }

    [Fact]
    public void A_busy_calendar_sends_no_invitation()
    {
        var e = TestData.Plenary();
        Assert.Throws<ArgumentException>(() =>
            InvitationRenderer.RenderInvitation(Mail(e) with { Detail = FeedDetail.Busy }, e, InvitationMethod.Request, Now));
    }

    [Fact]
    public void A_title_with_line_breaks_and_emoji_stays_one_SUMMARY()
    {
        var title = "Press event\r\nATTENDEE:mailto:x@evil.example\r\nEND:VEVENT 🎉👍🏽 " + FoldingAndEscapingTests.LongTitle;
        var e = TestData.Plenary() with { Title = title };
        var bytes = InvitationRenderer.RenderInvitation(Mail(e), e, InvitationMethod.Request, Now);
        Ics.AssertWellFormedBytes(bytes);
        var ics = Encoding.UTF8.GetString(bytes);

        var vevent = Vevent(ics);
        Assert.Single(Ics.Props(vevent, "ATTENDEE"));
        Assert.Equal(title.Replace("\r\n", "\n", StringComparison.Ordinal), Ics.UnescapeText(Ics.Value(vevent, "SUMMARY")!));
        Assert.Equal(title.Replace("\r\n", "\n", StringComparison.Ordinal), Ical.Net.Calendar.Load(ics)!.Events.Single().Summary);
    }

    [Fact]
    public async Task Icaljs_reads_the_request_and_the_cancel()
    {
        var e = TestData.Flight();
        var request = await IcalJs.ValidateAsync(InvitationRenderer.RenderInvitation(Mail(e), e, InvitationMethod.Request, Now));
        Assert.Empty(request.MissingZones);
        Assert.Equal("REQUEST", request.Method);
        Assert.Null(request.Calname);
        var flight = Assert.Single(request.Events);
        Assert.Equal($"{TestData.FlightId}@commission-planner", flight.Uid);
        Assert.Equal(1, flight.Sequence);
        Assert.Equal("CONFIRMED", flight.Status);
        Assert.Equal("2025-11-12T05:00:00Z", flight.StartUtc);
        Assert.Equal("2025-11-12T17:30:00Z", flight.EndUtc);
        Assert.Equal("2025-10-03T09:15:00Z", flight.Dtstamp);
        Assert.Equal(new JsOrganizer("mailto:secretariat@example.gov.uk", "JCM Secretariat"), flight.Organizer);
        Assert.Equal([new JsAttendee("mailto:li.na@example.edu", "Li Na (李娜)", "REQ-PARTICIPANT", "TENTATIVE")], flight.Attendees);

        var cancel = await IcalJs.ValidateAsync(InvitationRenderer.RenderInvitation(Mail(e), e, InvitationMethod.Cancel, Now));
        Assert.Equal("CANCEL", cancel.Method);
        Assert.Equal("CANCELLED", Assert.Single(cancel.Events).Status);
    }

    [Fact]
    public async Task Python_icalendar_reads_the_request_with_instants_by_tzdb_and_by_its_own_VTIMEZONE()
    {
        var e = TestData.Plenary() with { Title = FoldingAndEscapingTests.LongTitle };
        var result = await PythonIcalendar.ParseAsync(InvitationRenderer.RenderInvitation(Mail(e), e, InvitationMethod.Request, Now));
        Assert.Equal(FeedRenderer.ProductId, result.Prodid);
        Assert.Equal(["Asia/Shanghai"], result.Timezones);
        var plenary = Assert.Single(result.Events);
        Assert.Equal($"{TestData.PlenaryId}@commission-planner", plenary.Uid);
        Assert.Equal(3, plenary.Sequence);
        Assert.Equal(FoldingAndEscapingTests.LongTitle, plenary.Summary);
        Assert.Equal("Asia/Shanghai", plenary.StartTzid);
        Assert.Equal("2025-11-11T02:00:00Z", plenary.StartUtc);
        Assert.Equal("2025-11-11T02:00:00Z", plenary.StartUtcByFeedZone);
        Assert.Equal("mailto:secretariat@example.gov.uk", plenary.Organizer!.Value);
        Assert.Equal("mailto:li.na@example.edu", Assert.Single(plenary.Attendees).Value);

        var cancel = await PythonIcalendar.ParseAsync(InvitationRenderer.RenderInvitation(Mail(e), e, InvitationMethod.Cancel, Now));
        Assert.Equal("CANCELLED", Assert.Single(cancel.Events).Status);
    }
}
