using System.Text;
using CommissionPlanner.Calendar;
using CommissionPlanner.Domain;
using CommissionPlanner.Tests.IcalValidation;
using CommissionPlanner.Web.Notifications;
using MimeKit;
using NodaTime;

namespace CommissionPlanner.Web.Tests.Notifications;

using Attendance = CommissionPlanner.Domain.Attendance;

/// <summary>
/// The notification e-mail (RFC 6047 iMIP), composed and parsed back with MimeKit as a receiving client would read it.
/// Pure: no database, no server.
/// </summary>
public sealed class NotificationMailTests
{
    private static readonly Guid NotificationId = Guid.Parse("c0000000-0000-0000-0000-000000000016");
    private static readonly Guid PressId = Guid.Parse("a0000000-0000-0000-0000-000000000010");
    private static readonly Guid WangFang = Guid.Parse("44444444-4444-4444-4444-444444444444");
    private static readonly Guid Other = Guid.Parse("55555555-5555-5555-5555-555555555555");
    private static readonly Instant Now = Instant.FromUtc(2025, 10, 3, 9, 15, 0);

    private static readonly MailRecipient To = new(WangFang, "Wang Fang", "王芳", "wang.fang@example.edu.cn", "Europe/London");
    private static readonly MailSender Sender = new("planner@example.gov.uk", "Commission Planner", "JCM Secretariat", "secretariat@example.gov.uk");

    private static readonly FeedPlace PressCentre = new(
        "Media Centre", "新闻中心", "2 Fuxingmen Inner Street", "Beijing", "CN", 39.9075, 116.3636);

    private static FeedEvent Press(LocalDateTime start, string title = "Press event", int sequence = 2, string status = "confirmed") => new(
        PressId, sequence, status, "press", title, start, "Asia/Shanghai", start.PlusHours(1), "Asia/Shanghai",
        Instant.FromUtc(2025, 9, 1, 8, 0), Instant.FromUtc(2025, 10, 2, 14, 30), "Statements to the press", "MOST", null, null,
        PressCentre, null, [],
        [
            new FeedAttendee(Other, "Alex Morgan", null, "alex.morgan@example.gov.uk", "chair", "accepted"),
            new FeedAttendee(WangFang, "Wang Fang", "王芳", "wang.fang@example.edu.cn", "required", "needs-action"),
        ],
        ReviewPending: false);

    private static EventView View(FeedEvent e, Attendance attendance = Attendance.Attending, int? waiting = null, string? cancelReason = null) => new(
        e.Sequence, e.Title,
        e.Status == "cancelled" ? CalendarStatus.Cancelled : e.Status == "tentative" ? CalendarStatus.Tentative : CalendarStatus.Confirmed,
        e.StartLocal, e.StartZone, e.EndLocal, e.EndZone, "Media Centre (新闻中心), 2 Fuxingmen Inner Street", null,
        Response.NeedsAction, attendance, waiting, cancelReason);

    private static readonly LocalDateTime Nov11 = new(2025, 11, 11, 15, 0);

    private static MailItem Item(EventNotice notice, FeedEvent e, string? reply = "https://planner.example.org/replies/abc") => new(notice, e, reply);

    private static MailItem Added(FeedEvent e) => Item(new EventNotice(e.EngagementId, NoticeKind.Added, NoticeChanges.None, null, View(e)), e);

    private static MailContent Content(params MailItem[] items) => new(NotificationId, To, "UK–China Joint Commission", items);

    /// <summary>Composes, writes and parses the message again: what a receiving client sees.</summary>
    private static (MimeMessage Message, string Raw) RoundTrip(MailContent content, MailSender? sender = null, Instant? now = null)
    {
        var composed = NotificationMail.Compose(content, sender ?? Sender, now ?? Now);
        using var stream = new MemoryStream();
        // CRLF, as SMTP carries it (MimeKit's default is the platform's line end).
        var wire = FormatOptions.Default.Clone();
        wire.NewLineFormat = NewLineFormat.Dos;
        composed.WriteTo(wire, stream, TestContext.Current.CancellationToken);
        var raw = Encoding.UTF8.GetString(stream.ToArray());
        stream.Position = 0;
        return (MimeMessage.Load(stream, TestContext.Current.CancellationToken), raw);
    }

    private static IEnumerable<MimePart> CalendarParts(MimeMessage message) =>
        message.BodyParts.OfType<MimePart>().Where(p => p.ContentType.IsMimeType("text", "calendar") || p.ContentType.IsMimeType("application", "ics"));

    private static byte[] Bytes(MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return stream.ToArray();
    }

    private static Ical.Net.Calendar Ics(MimePart part) => Ical.Net.Calendar.Load(Encoding.UTF8.GetString(Bytes(part)))!;

    [Fact]
    public void The_message_goes_to_one_person_from_the_sender_with_a_Message_ID_stable_per_notification()
    {
        var (message, _) = RoundTrip(Content(Added(Press(Nov11))));
        var (again, _) = RoundTrip(Content(Added(Press(Nov11))), now: Now + Duration.FromHours(3));

        var to = Assert.Single(message.To.Mailboxes);
        Assert.Equal("wang.fang@example.edu.cn", to.Address);
        Assert.Empty(message.Cc);
        Assert.Empty(message.Bcc);
        Assert.Equal("planner@example.gov.uk", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal("Commission Planner", message.From.Mailboxes.Single().Name);
        Assert.Equal(Now.ToDateTimeOffset(), message.Date);
        Assert.Equal($"{NotificationId}@commission-planner", message.MessageId);
        Assert.Equal(NotificationMail.MessageIdOf(NotificationId), message.MessageId);
        Assert.Equal(message.MessageId, again.MessageId);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
    }

    [Fact]
    public void One_engagement_is_a_text_html_and_calendar_alternative_with_the_object_attached_as_invite_ics()
    {
        var e = Press(Nov11);
        var (message, _) = RoundTrip(Content(Added(e)));

        var mixed = Assert.IsType<Multipart>(message.Body);
        Assert.Equal("mixed", mixed.ContentType.MediaSubtype);
        var alternative = Assert.IsType<MultipartAlternative>(mixed[0]);
        Assert.Equal(
            ["text/plain", "text/html", "text/calendar"],
            alternative.Select(p => p.ContentType.MimeType));
        var inline = (MimePart)alternative[2];
        Assert.Equal("REQUEST", inline.ContentType.Parameters["method"]);
        Assert.Equal("utf-8", inline.ContentType.Charset);
        Assert.Null(inline.ContentDisposition);

        var attachment = Assert.IsType<MimePart>(mixed[1]);
        Assert.Equal("application/ics", attachment.ContentType.MimeType);
        Assert.Equal("invite.ics", attachment.FileName);
        Assert.True(attachment.IsAttachment);
        Assert.Equal(2, mixed.Count);

        foreach (var part in new[] { inline, attachment })
        {
            var ics = Ics(part);
            Assert.Equal("REQUEST", ics.Method);
            var vevent = Assert.Single(ics.Events);
            Assert.Equal($"{e.EngagementId}@commission-planner", vevent.Uid);
            Assert.Equal(e.Sequence, vevent.Sequence);
            Assert.Equal("Asia/Shanghai", vevent.DtStart!.TzId);
            Assert.Equal(new DateTime(2025, 11, 11, 7, 0, 0, DateTimeKind.Utc), vevent.DtStart.AsUtc);
            Assert.Equal("mailto:secretariat@example.gov.uk", vevent.Organizer!.Value!.ToString());
            var attendee = Assert.Single(vevent.Attendees);
            Assert.Equal("mailto:wang.fang@example.edu.cn", attendee.Value!.ToString());
            Assert.True(attendee.Rsvp);
        }

        Assert.Contains("You are invited", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("You are invited", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void The_subject_names_the_engagement_its_day_time_and_city()
    {
        var before = Press(Nov11.PlusHours(-1), sequence: 1);
        var after = Press(Nov11);
        var notice = new EventNotice(PressId, NoticeKind.Changed, NoticeChanges.Time, View(before), View(after));
        var (message, _) = RoundTrip(Content(Item(notice, after)));
        Assert.Equal("Changed: Press event, Tue 11 Nov 15:00 (Beijing)", message.Subject);
    }

    [Fact]
    public void Several_engagements_are_one_calendar_attachment_each_with_its_own_method()
    {
        var a = Press(Nov11);
        var b = Press(Nov11.PlusDays(1)) with { EngagementId = Guid.Parse("a0000000-0000-0000-0000-000000000011"), Sequence = 4, Status = "cancelled" };
        var c = Press(Nov11.PlusDays(2)) with { EngagementId = Guid.Parse("a0000000-0000-0000-0000-000000000012"), Sequence = 0, Attendees = [] };
        var (message, _) = RoundTrip(Content(
            Added(a),
            Item(new EventNotice(b.EngagementId, NoticeKind.Cancelled, NoticeChanges.Status, View(b with { Status = "confirmed", Sequence = 3 }), View(b)), b, null),
            Item(new EventNotice(c.EngagementId, NoticeKind.Removed, NoticeChanges.None, View(c), null), c, null)));

        Assert.Equal("3 changes to your programme: UK–China Joint Commission", message.Subject);
        var mixed = Assert.IsType<Multipart>(message.Body);
        var alternative = Assert.IsType<MultipartAlternative>(mixed[0]);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));

        var parts = mixed.Skip(1).Cast<MimePart>().ToList();
        Assert.All(parts, p => Assert.Equal("text/calendar", p.ContentType.MimeType));
        Assert.All(parts, p => Assert.True(p.IsAttachment));
        Assert.Equal(["REQUEST", "CANCEL", "CANCEL"], parts.Select(p => p.ContentType.Parameters["method"]));
        Assert.Equal(["invite.ics", "cancel.ics", "cancel.ics"], parts.Select(p => p.FileName));
        var calendars = parts.Select(Ics).ToList();
        Assert.Equal(["REQUEST", "CANCEL", "CANCEL"], calendars.Select(i => i.Method));
        Assert.Equal([a.EngagementId, b.EngagementId, c.EngagementId], calendars.Select(i => Guid.Parse(i.Events.Single().Uid!.Split('@')[0])));
        Assert.Equal([2, 4, 0], calendars.Select(i => i.Events.Single().Sequence));
        Assert.Equal(["CONFIRMED", "CANCELLED", "CANCELLED"], calendars.Select(i => i.Events.Single().Status));

        // Taken off the list, Wang Fang has no line in the feed any more; the CANCEL names her all the same.
        Assert.Equal("mailto:wang.fang@example.edu.cn", Assert.Single(calendars[2].Events.Single().Attendees).Value!.ToString());
        Assert.Contains("You are no longer on the list", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cancellation_says_so_with_its_reason_and_offers_no_reply()
    {
        var e = Press(Nov11, sequence: 3, status: "cancelled");
        var notice = new EventNotice(PressId, NoticeKind.Cancelled, NoticeChanges.Status, View(Press(Nov11)), View(e, cancelReason: "The minister's visit was postponed"));
        var (message, _) = RoundTrip(Content(Item(notice, e)));

        Assert.StartsWith("Cancelled: Press event", message.Subject, StringComparison.Ordinal);
        Assert.Contains("Cancelled", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("The minister's visit was postponed", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("The minister&#39;s visit was postponed", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("planner.example.org/replies", message.TextBody, StringComparison.Ordinal);
        var inline = CalendarParts(message).First();
        Assert.Equal("CANCEL", inline.ContentType.Parameters["method"]);
        Assert.Equal("CANCELLED", Ics(inline).Events.Single().Status);
    }

    [Fact]
    public void A_change_shows_old_and_new_time_and_place_and_the_reply_link()
    {
        var before = Press(Nov11, sequence: 1);
        var after = Press(Nov11.PlusHours(2), sequence: 2);
        var notice = new EventNotice(PressId, NoticeKind.Changed, NoticeChanges.Time | NoticeChanges.Place,
            View(before), View(after) with { Place = "Diaoyutai State Guesthouse (钓鱼台国宾馆)" });
        var (message, _) = RoundTrip(Content(Item(notice, after)));

        Assert.Contains(
            "Time: Tue 11 Nov 2025, 15:00–16:00 Beijing time (07:00–08:00 in London) → Tue 11 Nov 2025, 17:00–18:00 Beijing time (09:00–10:00 in London)",
            message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Place: Media Centre (新闻中心), 2 Fuxingmen Inner Street → Diaoyutai State Guesthouse (钓鱼台国宾馆)", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Accept or decline: https://planner.example.org/replies/abc", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://planner.example.org/replies/abc\">Accept or decline</a>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(2, Ics(CalendarParts(message).First()).Events.Single().Sequence);
    }

    [Fact]
    public void A_promotion_from_the_waiting_list_says_you_now_have_a_place()
    {
        var e = Press(Nov11);
        var notice = new EventNotice(PressId, NoticeKind.Changed, NoticeChanges.Attendance, View(e, Attendance.Waiting, waiting: 1), View(e));
        var (message, _) = RoundTrip(Content(Item(notice, e)));

        Assert.StartsWith("You have a place: Press event", message.Subject, StringComparison.Ordinal);
        Assert.Contains("You now have a place", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("You now have a place", message.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("REQUEST", CalendarParts(message).First().ContentType.Parameters["method"]);
    }

    [Theory]
    [InlineData(20, "Mon 20 Oct 2025, 15:00–16:00 Beijing time (08:00–09:00 in London)")]
    [InlineData(27, "Mon 27 Oct 2025, 15:00–16:00 Beijing time (07:00–08:00 in London)")]
    public void The_time_at_home_follows_the_UK_clock_change(int day, string expected)
    {
        var (message, _) = RoundTrip(Content(Added(Press(new LocalDateTime(2025, 10, day, 15, 0)))));
        Assert.Contains("When: " + expected, message.TextBody, StringComparison.Ordinal);
        Assert.Contains(expected, message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void A_travel_leg_shows_both_ends_in_their_own_cities()
    {
        var heathrow = new FeedPlace("London Heathrow Airport", null, "Hounslow TW6 1QG", "London", "GB", 51.47, -0.4543);
        var airport = new FeedPlace("Beijing Capital International Airport", "北京首都国际机场", "Shunyi District", "Beijing", "CN", 40.08, 116.6);
        var flight = Press(new LocalDateTime(2025, 11, 12, 13, 0), title: "Flight Beijing → London") with
        {
            Kind = "travel", EndLocal = new LocalDateTime(2025, 11, 12, 17, 30), EndZone = "Europe/London", Place = airport, Destination = heathrow,
        };
        var (message, _) = RoundTrip(Content(Added(flight)));
        Assert.Contains(
            "When: Wed 12 Nov 2025, 13:00 Beijing time (05:00 in London) → Wed 12 Nov 2025, 17:30 London time\n",
            message.TextBody, StringComparison.Ordinal);
        var vevent = Ics(CalendarParts(message).First()).Events.Single();
        Assert.Equal("Asia/Shanghai", vevent.DtStart!.TzId);
        Assert.Equal("Europe/London", vevent.DtEnd!.TzId);
    }

    [Fact]
    public void No_home_time_is_shown_when_home_is_the_venues_zone_or_unknown()
    {
        foreach (var home in new string?[] { "Asia/Shanghai", null, "Not/AZone" })
        {
            var (message, _) = RoundTrip(Content(Added(Press(Nov11))) with { To = To with { HomeZone = home } });
            Assert.Contains("When: Tue 11 Nov 2025, 15:00–16:00 Beijing time\n", message.TextBody, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Chinese_names_and_titles_round_trip_through_encoded_headers()
    {
        var sender = Sender with { FromName = "中英联委会秘书处" };
        var (message, raw) = RoundTrip(Content(Added(Press(Nov11, title: "新闻发布会 🎉"))), sender);

        Assert.Equal("Wang Fang (王芳)", message.To.Mailboxes.Single().Name);
        Assert.Equal("中英联委会秘书处", message.From.Mailboxes.Single().Name);
        Assert.Equal("Invitation: 新闻发布会 🎉, Tue 11 Nov 15:00 (Beijing)", message.Subject);
        Assert.Contains("Dear Wang Fang (王芳),", message.TextBody, StringComparison.Ordinal);
        Assert.Equal("新闻发布会 🎉", Ics(CalendarParts(message).First()).Events.Single().Summary);
        var headers = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.True(headers.All(char.IsAscii), "headers must be encoded (RFC 2047), not raw UTF-8");
    }

    [Fact]
    public void A_line_break_in_a_title_or_name_cannot_add_a_header()
    {
        var e = Press(Nov11, title: "Press event\r\nBcc: x@evil.example");
        var to = To with { FullName = "Wang Fang\r\nBcc: y@evil.example", LocalName = null };
        var sender = Sender with { FromName = "Planner\nCc: z@evil.example" };
        var (message, raw) = RoundTrip(Content(Added(e)) with { To = to }, sender);

        Assert.Empty(message.Bcc);
        Assert.Empty(message.Cc);
        Assert.False(message.Headers.Contains(HeaderId.Bcc));
        Assert.False(message.Headers.Contains(HeaderId.Cc));
        Assert.Equal("Invitation: Press event Bcc: x@evil.example, Tue 11 Nov 15:00 (Beijing)", message.Subject);
        Assert.Equal("wang.fang@example.edu.cn", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("Wang Fang Bcc: y@evil.example", message.To.Mailboxes.Single().Name);
        var headers = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n");
        Assert.DoesNotContain(headers, h => h.StartsWith("Bcc:", StringComparison.OrdinalIgnoreCase) || h.StartsWith("Cc:", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("\nBcc:", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void The_HTML_part_encodes_what_people_typed_and_drops_a_link_that_is_not_http()
    {
        var e = Press(Nov11, title: "<script>alert(1)</script> & \"quotes\"");
        var (message, _) = RoundTrip(Content(Item(new EventNotice(PressId, NoticeKind.Added, NoticeChanges.None, null, View(e)), e, "javascript:alert(1)")));

        Assert.DoesNotContain("<script>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Nobody_elses_address_or_name_is_in_the_message()
    {
        var (_, raw) = RoundTrip(Content(Added(Press(Nov11))));
        Assert.DoesNotContain("alex.morgan", raw, StringComparison.OrdinalIgnoreCase);
        var (message, _) = RoundTrip(Content(Added(Press(Nov11))));
        foreach (var part in CalendarParts(message))
        {
            Assert.DoesNotContain(Ics(part).Events.Single().Attendees, a => a.Value!.ToString().Contains("alex.morgan", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_organiser_falls_back_to_the_From_address()
    {
        var (message, _) = RoundTrip(Content(Added(Press(Nov11))), Sender with { OrganizerName = null, OrganizerEmail = null });
        var organizer = Ics(CalendarParts(message).First()).Events.Single().Organizer!;
        Assert.Equal("mailto:planner@example.gov.uk", organizer.Value!.ToString());
        Assert.Equal("Commission Planner", organizer.CommonName);
    }

    [Fact]
    public async Task The_invitation_in_the_message_is_read_by_icaljs_and_python_icalendar()
    {
        var e = Press(new LocalDateTime(2025, 10, 27, 15, 0), title: "新闻发布会 🎉\r\nDTSTART:19700101T000000Z");
        var (message, _) = RoundTrip(Content(Added(e)));
        var bytes = Bytes(CalendarParts(message).First());

        var js = await IcalJs.ValidateAsync(bytes);
        Assert.Empty(js.MissingZones);
        Assert.Equal("REQUEST", js.Method);
        var jsEvent = Assert.Single(js.Events);
        Assert.Equal($"{PressId}@commission-planner", jsEvent.Uid);
        Assert.Equal(2, jsEvent.Sequence);
        Assert.Equal("2025-10-27T07:00:00Z", jsEvent.StartUtc);
        Assert.Equal("新闻发布会 🎉\nDTSTART:19700101T000000Z", jsEvent.Summary);
        Assert.Equal("mailto:wang.fang@example.edu.cn", Assert.Single(jsEvent.Attendees).Value);

        var py = await PythonIcalendar.ParseAsync(bytes);
        var pyEvent = Assert.Single(py.Events);
        Assert.Equal($"{PressId}@commission-planner", pyEvent.Uid);
        Assert.Equal(2, pyEvent.Sequence);
        Assert.Equal("2025-10-27T07:00:00Z", pyEvent.StartUtc);
        Assert.Equal("2025-10-27T07:00:00Z", pyEvent.StartUtcByFeedZone);
        Assert.Equal("mailto:secretariat@example.gov.uk", pyEvent.Organizer!.Value);
    }
}
