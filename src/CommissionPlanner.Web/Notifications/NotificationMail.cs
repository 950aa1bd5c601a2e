using System.Globalization;
using System.Net;
using System.Text;
using CommissionPlanner.Calendar;
using CommissionPlanner.Domain;
using MimeKit;
using MimeKit.Text;
using NodaTime;
using NodaTime.Text;

namespace CommissionPlanner.Web.Notifications;

/// <summary>
/// The person a notification goes to. <see cref="HomeZone"/> (an IANA zone id, optional) is where they normally are:
/// times are shown there too when it differs from the venue's.
/// </summary>
public sealed record MailRecipient(Guid PersonId, string FullName, string? LocalName, string Email, string? HomeZone);

/// <summary>
/// One engagement's part of a notification: what to tell (<see cref="Notice"/>), the engagement as the person's feed
/// shows it now (also for a <see cref="NoticeKind.Removed"/> notice: the event as it goes on without them), the link to
/// accept or decline (none for a cancellation) and the engagement's link in the feed (its URL property, so that the
/// invitation's VEVENT is the feed's).
/// </summary>
public sealed record MailItem(EventNotice Notice, FeedEvent Event, string? ReplyUrl, string? EventUrl = null);

/// <summary>What one e-mail to one person says: one or more engagements of one programme.</summary>
public sealed record MailContent(Guid NotificationId, MailRecipient To, string ProgrammeName, IReadOnlyList<MailItem> Items);

/// <summary>The From of every notification, and the ORGANIZER its invitations carry (From when not set).</summary>
public sealed record MailSender(string FromAddress, string? FromName, string? OrganizerName, string? OrganizerEmail);

/// <summary>
/// Composes the e-mail that tells one person what changed in their programme, with an iMIP (RFC 6047) calendar object per
/// engagement that their mail client applies to the event their feed put in their calendar (same UID and SEQUENCE:
/// <see cref="InvitationRenderer"/>). Pure: the same content, sender and time give the same message, with a Message-ID
/// that depends on the notification only, so a resend after a crash is recognisably the same message.
/// </summary>
/// <remarks>
/// <para>The layout, what RFC 6047 and the clients ask for:</para>
/// <code>
/// multipart/mixed
///   multipart/alternative
///     text/plain; charset=utf-8
///     text/html; charset=utf-8
///     text/calendar; method=REQUEST|CANCEL; charset=utf-8          (one engagement only)
///   application/ics; name=invite.ics|cancel.ics (attachment)       (one engagement only: the same object)
///   text/calendar; method=…; charset=utf-8; name=… (attachment)     (several engagements: one each)
/// </code>
/// <para>
/// Outlook and Gmail show their invitation card (Accept/Decline, "updates the event") for a text/calendar alternative of
/// the message body, which is where Google Calendar and Exchange put their own invitations; Apple Mail and Thunderbird find
/// it there too. The same object is attached once more as application/ics, as Google Calendar does, so that a person can
/// open or import it by hand while no client reads a second text/calendar part as a second invitation. Several
/// engagements cannot share one alternative: RFC 6047 §2.4 wants objects with different methods in separate text/calendar
/// parts under multipart/mixed, and Outlook acts on at most one, so each is an attachment of its own (opened one by one).
/// Calendar parts are base64, which keeps the object's CRLFs and UTF-8 exactly as rendered.
/// </para>
/// <para>
/// Header safety: everything that goes into a header (display names, the subject) has its control characters (CR, LF,
/// TAB…) and line or paragraph separators replaced by spaces first, so no value can end a header early; MimeKit encodes
/// non-ASCII (RFC 2047). Bodies are built from plain values: each is made one line in the text part and HTML-encoded in
/// the HTML part; links are used only when they are absolute http(s) URLs.
/// </para>
/// </remarks>
public static class NotificationMail
{
    private static readonly LocalDatePattern DayPattern = LocalDatePattern.Create("ddd d MMM yyyy", CultureInfo.InvariantCulture);
    private static readonly LocalDatePattern ShortDayPattern = LocalDatePattern.Create("ddd d MMM", CultureInfo.InvariantCulture);
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.Create("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The Message-ID (without angle brackets) of the notification's e-mail: the same for every send of it.</summary>
    public static string MessageIdOf(Guid notificationId) =>
        notificationId.ToString("D", CultureInfo.InvariantCulture) + FeedRenderer.UidSuffix;

    /// <summary>The e-mail for <paramref name="content"/>, dated <paramref name="now"/>.</summary>
    /// <exception cref="ArgumentException">
    /// There are no items, or no usable organiser address (<see cref="InvitationRenderer.RenderInvitation"/>).
    /// </exception>
    /// <exception cref="ParseException">The recipient's or the sender's address is not an e-mail address.</exception>
    public static MimeMessage Compose(MailContent content, MailSender sender, Instant now)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(sender);
        if (content.Items.Count == 0)
        {
            throw new ArgumentException("A notification tells of at least one engagement.", nameof(content));
        }

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(HeaderText(sender.FromName), sender.FromAddress.Trim()));
        message.To.Add(new MailboxAddress(HeaderText(PersonName(content.To)), content.To.Email.Trim()));
        message.Date = now.ToDateTimeOffset();
        message.MessageId = MessageIdOf(content.NotificationId);
        message.Subject = Subject(content);

        // RFC 3834: no vacation or out-of-office replies to a machine's message.
        message.Headers.Add("Auto-Submitted", "auto-generated");

        var home = content.To.HomeZone is { } zoneId ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId.Trim()) : null;
        var blocks = content.Items.Select(item => Block(item, home)).ToList();
        var plain = new TextPart(TextFormat.Plain) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        plain.SetText(Encoding.UTF8, PlainText(content, blocks));
        var html = new TextPart(TextFormat.Html) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        html.SetText(Encoding.UTF8, HtmlText(content, blocks));
        var alternative = new MultipartAlternative { plain, html };
        var mixed = new Multipart("mixed") { alternative };

        var organizerEmail = string.IsNullOrWhiteSpace(sender.OrganizerEmail) ? sender.FromAddress : sender.OrganizerEmail;
        var organizerName = string.IsNullOrWhiteSpace(sender.OrganizerName) ? sender.FromName : sender.OrganizerName;
        if (content.Items.Count == 1)
        {
            var item = content.Items[0];
            var ics = Invitation(content, item, organizerName, organizerEmail, now);
            alternative.Add(CalendarPart("text", "calendar", ics, item.Notice.IsCancel, attach: false));
            mixed.Add(CalendarPart("application", "ics", ics, item.Notice.IsCancel, attach: true));
        }
        else
        {
            foreach (var item in content.Items)
            {
                mixed.Add(CalendarPart("text", "calendar", Invitation(content, item, organizerName, organizerEmail, now), item.Notice.IsCancel, attach: true));
            }
        }

        message.Body = mixed;
        return message;
    }

    /// <summary>
    /// The item's iTIP object: the event as the person's feed has it, with their own attendee line at the address this
    /// message goes to (how a mail client knows the invitation is for its user; a person taken off the list has no line
    /// in the feed any more, and a CANCEL must name them).
    /// </summary>
    private static byte[] Invitation(MailContent content, MailItem item, string? organizerName, string organizerEmail, Instant now)
    {
        var to = content.To;
        var own = item.Event.Attendees.FirstOrDefault(a => a.PersonId == to.PersonId)
            ?? new FeedAttendee(to.PersonId, to.FullName, to.LocalName, null, "required", "needs-action");
        var e = item.Event with { Attendees = [own with { Email = to.Email }] };
        var eventUrl = item.EventUrl;
        var calendar = new FeedCalendar(
            content.ProgrammeName, e.StartZone, [e], FeedDetail.Full, ShowAllAttendees: false, OwnerPersonId: to.PersonId,
            organizerName, organizerEmail, Duration.FromHours(1), eventUrl is null ? null : _ => eventUrl);
        return InvitationRenderer.RenderInvitation(calendar, e, item.Notice.IsCancel ? InvitationMethod.Cancel : InvitationMethod.Request, now);
    }

    private static MimePart CalendarPart(string mediaType, string subtype, byte[] ics, bool cancel, bool attach)
    {
        var part = new MimePart(mediaType, subtype)
        {
            Content = new MimeContent(new MemoryStream(ics, writable: false)),
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        part.ContentType.Parameters.Add("method", cancel ? "CANCEL" : "REQUEST");
        part.ContentType.Charset = "utf-8";
        if (attach)
        {
            var name = cancel ? "cancel.ics" : "invite.ics";
            part.ContentType.Name = name;
            part.ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = name };
        }

        return part;
    }

    /// <summary>One engagement's part of the text: a heading, what changed and where things stand, and the reply link.</summary>
    private sealed record Section(string Heading, IReadOnlyList<string> Lines, string? ReplyUrl);

    private static Section Block(MailItem item, DateTimeZone? home)
    {
        var notice = item.Notice;
        var view = notice.After ?? notice.Before ?? throw new ArgumentException("A notice has a view before or after.", nameof(item));
        var lines = new List<string>();
        var heading = $"{Label(notice)}: {OneLine(view.Title)}";
        switch (notice.Kind)
        {
            case NoticeKind.Added:
                lines.Add(notice.Before is { Status: CalendarStatus.Cancelled } ? "This engagement is no longer cancelled, and it is back in your calendar."
                    : view.Response == Response.NeedsAction ? "You are invited to this engagement."
                    : "You have been added to this engagement.");
                if (view.Attendance == Attendance.Waiting)
                {
                    lines.Add(WaitingLine(view));
                }

                lines.Add("When: " + When(view, item.Event, home));
                lines.Add("Where: " + PlaceOf(view));
                break;

            case NoticeKind.Changed:
                var before = notice.Before!;
                if (notice.Changes.HasFlag(NoticeChanges.Title))
                {
                    lines.Add($"Title: {OneLine(before.Title)} → {OneLine(view.Title)}");
                }

                if (notice.Changes.HasFlag(NoticeChanges.Time))
                {
                    lines.Add($"Time: {When(before, item.Event, home)} → {When(view, item.Event, home)}");
                }

                if (notice.Changes.HasFlag(NoticeChanges.Place))
                {
                    lines.Add($"Place: {PlaceOf(before)} → {PlaceOf(view)}");
                }

                if (notice.Changes.HasFlag(NoticeChanges.Status))
                {
                    lines.Add($"Status: {StatusText(before.Status)} → {StatusText(view.Status)}");
                }

                if (notice.Changes.HasFlag(NoticeChanges.Attendance))
                {
                    lines.Add((before.Attendance, view.Attendance) switch
                    {
                        (Attendance.Waiting, Attendance.Attending) => "You now have a place: you were on the waiting list.",
                        (_, Attendance.Waiting) => WaitingLine(view),
                        _ => "Your place on the list has changed.",
                    });
                }

                if (!notice.Changes.HasFlag(NoticeChanges.Time))
                {
                    lines.Add("When: " + When(view, item.Event, home));
                }

                if (!notice.Changes.HasFlag(NoticeChanges.Place))
                {
                    lines.Add("Where: " + PlaceOf(view));
                }

                break;

            case NoticeKind.Cancelled:
                lines.Add(string.IsNullOrWhiteSpace(view.CancelReason)
                    ? "Cancelled: this engagement will not take place."
                    : $"Cancelled: this engagement will not take place. Reason: {OneLine(view.CancelReason)}");
                lines.Add("It was: " + When(view, item.Event, home));
                lines.Add("Where: " + PlaceOf(view));
                break;

            case NoticeKind.Removed:
                lines.Add("You are no longer on the list for this engagement, and it is taken out of your calendar.");
                lines.Add("It was: " + When(view, item.Event, home));
                lines.Add("Where: " + PlaceOf(view));
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(item), notice.Kind, "Unknown notice kind.");
        }

        return new Section(heading, lines, notice.IsCancel ? null : Link(item.ReplyUrl));
    }

    private static string Label(EventNotice notice) => notice.Kind switch
    {
        NoticeKind.Added when notice.Before is { Status: CalendarStatus.Cancelled } => "Back on",
        NoticeKind.Added => "Invitation",
        NoticeKind.Changed when notice.Changes == NoticeChanges.Attendance && notice.After is { Attendance: Attendance.Attending } => "You have a place",
        NoticeKind.Changed => "Changed",
        NoticeKind.Cancelled => "Cancelled",
        NoticeKind.Removed => "Removed",
        _ => throw new ArgumentOutOfRangeException(nameof(notice), notice.Kind, "Unknown notice kind."),
    };

    private static string WaitingLine(EventView view) => view.WaitingPosition is { } position
        ? $"You are on the waiting list (number {position.ToString(CultureInfo.InvariantCulture)})."
        : "You are on the waiting list.";

    private static string StatusText(CalendarStatus status) => status switch
    {
        CalendarStatus.Tentative => "tentative",
        CalendarStatus.Confirmed => "confirmed",
        CalendarStatus.Cancelled => "cancelled",
        _ => status.ToString(),
    };

    private static string PlaceOf(EventView view) =>
        OneLine(string.IsNullOrWhiteSpace(view.Destination) ? view.Place : $"{view.Place} → {view.Destination}");

    /// <summary>"Subject" in the person's terms: the one engagement with its day, time and city, or how many changes.</summary>
    private static string Subject(MailContent content)
    {
        if (content.Items.Count > 1)
        {
            return HeaderText($"{content.Items.Count.ToString(CultureInfo.InvariantCulture)} changes to your programme: {content.ProgrammeName}");
        }

        var item = content.Items[0];
        var view = item.Notice.After ?? item.Notice.Before!;
        var start = $"{ShortDayPattern.Format(view.StartLocal.Date)} {TimePattern.Format(view.StartLocal.TimeOfDay)}";
        return HeaderText($"{Label(item.Notice)}: {view.Title}, {start} ({CityOf(view.StartZone, item.Event, end: false)})");
    }

    /// <summary>
    /// "Tue 11 Nov 2025, 15:00–16:00 Beijing time (07:00–08:00 in London)": local times at the venue, and in the person's
    /// home zone when that zone's clock differs at the time (a home date is shown when it is not the venue's). A travel
    /// leg, or anything ending on another day or in another zone, shows both ends in full.
    /// </summary>
    private static string When(EventView view, FeedEvent e, DateTimeZone? home)
    {
        var startCity = CityOf(view.StartZone, e, end: false);
        var endCity = CityOf(view.EndZone, e, end: true);
        var day = DayPattern.Format(view.StartLocal.Date);
        var start = TimePattern.Format(view.StartLocal.TimeOfDay);
        var end = TimePattern.Format(view.EndLocal.TimeOfDay);
        var homeStart = HomeTime(view.StartInstant, view.StartZone, view.StartLocal.Date, home);
        var homeEnd = HomeTime(view.EndInstant, view.EndZone, view.EndLocal.Date, home);
        if (string.Equals(view.StartZone, view.EndZone, StringComparison.Ordinal) && view.EndLocal.Date == view.StartLocal.Date)
        {
            var homePart = homeStart is null || homeEnd is null ? string.Empty : $" ({homeStart}–{homeEnd} in {ZoneCity(home!.Id)})";
            return $"{day}, {start}–{end} {startCity} time{homePart}";
        }

        var homeFrom = homeStart is null ? string.Empty : $" ({homeStart} in {ZoneCity(home!.Id)})";
        var homeTo = homeEnd is null ? string.Empty : $" ({homeEnd} in {ZoneCity(home!.Id)})";
        return $"{day}, {start} {startCity} time{homeFrom} → {DayPattern.Format(view.EndLocal.Date)}, {end} {endCity} time{homeTo}";
    }

    /// <summary>The time in the home zone, with its day when that is not <paramref name="venueDay"/>; null when the clocks agree.</summary>
    private static string? HomeTime(Instant? instant, string venueZone, LocalDate venueDay, DateTimeZone? home)
    {
        if (home is null || instant is not { } at || DateTimeZoneProviders.Tzdb.GetZoneOrNull(venueZone) is not { } venue
            || home.GetUtcOffset(at) == venue.GetUtcOffset(at))
        {
            return null;
        }

        var local = at.InZone(home).LocalDateTime;
        var time = TimePattern.Format(local.TimeOfDay);
        return local.Date == venueDay ? time : $"{ShortDayPattern.Format(local.Date)} {time}";
    }

    /// <summary>The city whose clock a zone is: the venue's (or a travel leg's arrival venue's), else the zone's own city.</summary>
    private static string CityOf(string zone, FeedEvent e, bool end)
    {
        if (end && e.Destination is { } destination && string.Equals(zone, e.EndZone, StringComparison.Ordinal))
        {
            return OneLine(destination.City);
        }

        return string.Equals(zone, e.StartZone, StringComparison.Ordinal) && !string.IsNullOrWhiteSpace(e.Place.City)
            ? OneLine(e.Place.City)
            : ZoneCity(zone);
    }

    /// <summary>"Europe/London" → "London", "America/New_York" → "New York".</summary>
    private static string ZoneCity(string zone)
    {
        var slash = zone.LastIndexOf('/');
        return OneLine(zone[(slash + 1)..].Replace('_', ' '));
    }

    private static string PersonName(MailRecipient to) =>
        string.IsNullOrWhiteSpace(to.LocalName) ? to.FullName : $"{to.FullName} ({to.LocalName})";

    private static string PlainText(MailContent content, List<Section> sections)
    {
        var text = new StringBuilder();
        text.Append("Dear ").Append(OneLine(PersonName(content.To))).Append(",\n\n");
        text.Append(Intro(content)).Append("\n\n");
        foreach (var section in sections)
        {
            text.Append(section.Heading).Append('\n');
            foreach (var line in section.Lines)
            {
                text.Append("  ").Append(line).Append('\n');
            }

            if (section.ReplyUrl is not null)
            {
                text.Append("  Accept or decline: ").Append(section.ReplyUrl).Append('\n');
            }

            text.Append('\n');
        }

        text.Append(Outro(content)).Append('\n');
        return text.ToString();
    }

    private static string HtmlText(MailContent content, List<Section> sections)
    {
        var html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n");
        html.Append("<p>Dear ").Append(Html(OneLine(PersonName(content.To)))).Append(",</p>\n");
        html.Append("<p>").Append(Html(Intro(content))).Append("</p>\n");
        foreach (var section in sections)
        {
            html.Append("<h3>").Append(Html(section.Heading)).Append("</h3>\n<ul>\n");
            foreach (var line in section.Lines)
            {
                html.Append("<li>").Append(Html(line)).Append("</li>\n");
            }

            html.Append("</ul>\n");
            if (section.ReplyUrl is not null)
            {
                html.Append("<p><a href=\"").Append(Html(section.ReplyUrl)).Append("\">Accept or decline</a></p>\n");
            }
        }

        html.Append("<p>").Append(Html(Outro(content))).Append("</p>\n</body></html>\n");
        return html.ToString();
    }

    private static string Intro(MailContent content) => content.Items.Count == 1
        ? $"There is news about your programme for {OneLine(content.ProgrammeName)}."
        : $"There are {content.Items.Count.ToString(CultureInfo.InvariantCulture)} changes to your programme for {OneLine(content.ProgrammeName)}.";

    private static string Outro(MailContent content) => content.Items.Count == 1
        ? "The calendar invitation in this message updates the event in your calendar."
        : "Each calendar file attached to this message updates one event in your calendar.";

    private static string Html(string text) => WebUtility.HtmlEncode(text);

    /// <summary>An absolute http(s) link without control characters or white space, or null.</summary>
    private static string? Link(string? url)
    {
        var trimmed = url?.Trim();
        return string.IsNullOrEmpty(trimmed) || trimmed.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            || !Uri.TryCreate(trimmed, UriKind.Absolute, out var link) || link.Scheme is not ("http" or "https")
            ? null
            : link.AbsoluteUri;
    }

    /// <summary>A value for a header: one line, trimmed, with runs of spaces made one.</summary>
    private static string HeaderText(string? value) => OneLine(value ?? string.Empty);

    /// <summary>
    /// Control characters (CR, LF, TAB and the rest) and Unicode line and paragraph separators become spaces, runs of
    /// white space one space, and the ends are trimmed: a value that can neither end a header nor forge a line of a body.
    /// </summary>
    private static string OneLine(string value)
    {
        var builder = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c is '\u2028' or '\u2029' or '\u0085')
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
