using System.Globalization;
using System.Text;
using CommissionPlanner.Domain;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using NodaTime;
using Duration = NodaTime.Duration;

namespace CommissionPlanner.Calendar;

/// <summary>
/// Renders a feed as iCalendar (RFC 5545) text through Ical.Net: each feed is an Ical.Net <see cref="Ical.Net.Calendar"/>
/// with its <see cref="VTimeZone"/>s (built from tzdb by <see cref="TimeZoneComponents"/>) and one
/// <see cref="CalendarEvent"/> per engagement, and Ical.Net's serializer writes every component. Byte-stable for the
/// same input: no "now", no random ids, events in start-instant order.
/// </summary>
/// <remarks>
/// A calendar's text is its header, its components one after the other, and <c>END:VCALENDAR</c>, which is how
/// Ical.Net's <c>ComponentSerializer</c> writes it. So each component is serialized on its own and kept in a
/// <see cref="FeedRenderCache"/>: after one engagement changes, a re-render serializes that one event and copies the
/// others' bytes (FeedRendererCacheTests checks the result equals Ical.Net's serialization of the whole calendar).
/// One row's content never fails a feed: an event Ical.Net cannot serialize is written with its identity, times and
/// status only, and an event whose times cannot be placed is left out.
/// </remarks>
public static class FeedRenderer
{
    public const string ProductId = "-//Commission Planner//Feeds 1.0//EN";
    public const string UidSuffix = "@commission-planner";

    private const string CalendarEnd = "END:VCALENDAR\r\n";

    private static readonly FeedAttendee[] NoAttendees = [];
    private static readonly string[] NoAreas = [];

    /// <summary>The feed as text: CRLF line ends, folded at 75 octets, ending with CRLF.</summary>
    public static string Render(FeedCalendar calendar) => Encoding.UTF8.GetString(RenderUtf8(calendar, FeedRenderCache.Shared));

    /// <summary>The feed as UTF-8 bytes without a byte-order mark (what an HTTP response should carry).</summary>
    public static byte[] RenderUtf8(FeedCalendar calendar) => RenderUtf8(calendar, FeedRenderCache.Shared);

    /// <summary>The feed as UTF-8 bytes, reusing what <paramref name="cache"/> holds of earlier renders.</summary>
    public static byte[] RenderUtf8(FeedCalendar calendar, FeedRenderCache cache)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(cache);
        var refresh = DurationValue(calendar.RefreshInterval);
        var events = Placed(calendar.Events);
        var (head, tail) = cache.Header(
            new FeedRenderCache.HeaderKey(calendar.Name, calendar.DefaultTimeZone, calendar.RefreshInterval),
            () => SerializeHeader(calendar, refresh));

        var parts = new List<byte[]>(events.Count + 8) { head };
        if (events.Count > 0)
        {
            var (earliest, latest) = Range(events);
            foreach (var (id, zone) in ZonesUsed(events))
            {
                var (anchor, endYear) = TimeZoneComponents.RangeKey(zone, earliest, latest);
                parts.Add(cache.Zone(
                    new FeedRenderCache.ZoneKey(id, anchor, endYear),
                    () => Serialize(new ComponentSerializer(), TimeZoneComponents.Build(id, zone, earliest, latest))));
            }
        }

        var full = calendar.Detail == FeedDetail.Full;
        var organizerName = full ? calendar.OrganizerName : null;
        var organizerEmail = full ? calendar.OrganizerEmail : null;
        var viewer = ViewerOf(calendar);
        var writer = new EventWriter();
        foreach (var timed in events)
        {
            var view = ViewOf(timed.Event, calendar.Detail, viewer, calendar.Language);
            var url = full ? calendar.EventUrl?.Invoke(view.EngagementId) : null;
            try
            {
                parts.Add(cache.Event(
                    new FeedRenderCache.EventKey(view.EngagementId, calendar.Detail, viewer, calendar.Language), view, url, organizerName, organizerEmail,
                    () => writer.Event(view, calendar.Detail, url, organizerName, organizerEmail, timed)));
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException)
            {
                // Not even the bare event could be written: leave this one out rather than fail the feed.
            }
        }

        foreach (var stay in calendar.Stays ?? [])
        {
            parts.Add(writer.Stay(BuildStay(stay, calendar.Detail, calendar.Language)));
        }

        parts.Add(tail);
        var total = 0;
        foreach (var part in parts)
        {
            total += part.Length;
        }

        var bytes = new byte[total];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(bytes, at);
            at += part.Length;
        }

        return bytes;
    }

    /// <summary>
    /// The whole feed as one Ical.Net calendar object, as <see cref="RenderUtf8(FeedCalendar, FeedRenderCache)"/>
    /// serializes it piece by piece (the tests serialize this in one go to check the pieces add up to the same text).
    /// </summary>
    internal static Ical.Net.Calendar BuildCalendar(FeedCalendar calendar)
    {
        var ical = Shell(calendar, DurationValue(calendar.RefreshInterval));
        var events = Placed(calendar.Events);
        if (events.Count > 0)
        {
            var (earliest, latest) = Range(events);
            foreach (var (id, zone) in ZonesUsed(events))
            {
                ical.AddChild(TimeZoneComponents.Build(id, zone, earliest, latest));
            }
        }

        var full = calendar.Detail == FeedDetail.Full;
        var viewer = ViewerOf(calendar);
        foreach (var timed in events)
        {
            var view = ViewOf(timed.Event, calendar.Detail, viewer, calendar.Language);
            ical.Events.Add(BuildEvent(
                view, calendar.Detail, full ? calendar.EventUrl?.Invoke(view.EngagementId) : null,
                full ? calendar.OrganizerName : null, full ? calendar.OrganizerEmail : null));
        }

        foreach (var stay in calendar.Stays ?? [])
        {
            ical.Events.Add(BuildStay(stay, calendar.Detail, calendar.Language));
        }

        return ical;
    }

    /// <summary>
    /// A stay as an all-day event: DTSTART and DTEND are DATE values (the check-in day and the check-out day, which
    /// RFC 5545 makes the exclusive end), so every client shows the nights on the hotel's own dates whatever its zone.
    /// A busy feed shows "Hotel · city" and nothing else.
    /// </summary>
    /// <summary>
    /// A stay as its feed's language reads it: "Hotel: The Garden Hotel" in English, "酒店：花园酒店" (the hotel's local name
    /// when it has one) in Chinese, both in a bilingual feed.
    /// </summary>
    internal static CalendarEvent BuildStay(FeedStay stay, FeedDetail detail, FeedLanguage language = FeedLanguage.English)
    {
        ArgumentNullException.ThrowIfNull(stay);
        var vevent = new CalendarEvent
        {
            Uid = "stay-" + stay.StayId.ToString("D", CultureInfo.InvariantCulture) + UidSuffix,
            Sequence = stay.Sequence,
            DtStamp = Utc(stay.UpdatedAt),
            Created = Utc(stay.CreatedAt),
            LastModified = Utc(stay.UpdatedAt),
            DtStart = new CalDateTime(stay.CheckIn.Year, stay.CheckIn.Month, stay.CheckIn.Day),
            DtEnd = new CalDateTime(stay.CheckOut.Year, stay.CheckOut.Month, stay.CheckOut.Day),
            Transparency = "TRANSPARENT",
            Status = "CONFIRMED",
        };

        if (detail == FeedDetail.Busy)
        {
            vevent.Summary = IcalNetWorkarounds.Text(InLanguage($"Hotel · {stay.Hotel.City}", $"酒店 · {stay.Hotel.City}", language, " / "));
            vevent.Location = IcalNetWorkarounds.Text(stay.Hotel.City);
            vevent.Class = "PRIVATE";
            return vevent;
        }

        vevent.Summary = IcalNetWorkarounds.Text(InLanguage($"Hotel: {stay.Hotel.Name}", $"酒店：{stay.Hotel.LocalName ?? stay.Hotel.Name}", language, " / "));
        vevent.Location = IcalNetWorkarounds.Text(PlaceText(stay.Hotel));
        vevent.GeographicLocation = new GeographicLocation(stay.Hotel.Latitude, stay.Hotel.Longitude);
        vevent.Categories.Add("hotel");
        var nights = NodaTime.Period.Between(stay.CheckIn, stay.CheckOut, PeriodUnits.Days).Days;
        var english = new List<string>(2)
        {
            string.Create(CultureInfo.InvariantCulture, $"Room: {stay.RoomType}, {nights} {(nights == 1 ? "night" : "nights")}")
                + (string.IsNullOrWhiteSpace(stay.SharingWith) ? string.Empty : $", shared with {stay.SharingWith.Trim()}"),
        };
        var chinese = new List<string>(2)
        {
            string.Create(CultureInfo.InvariantCulture, $"房型：{ChineseRoomType(stay.RoomType)}，{nights} 晚")
                + (string.IsNullOrWhiteSpace(stay.SharingWith) ? string.Empty : $"，与 {stay.SharingWith.Trim()} 同住"),
        };
        if (!string.IsNullOrWhiteSpace(stay.Confirmation))
        {
            english.Add("Confirmation: " + stay.Confirmation.Trim());
            chinese.Add("确认号：" + stay.Confirmation.Trim());
        }

        vevent.Description = IcalNetWorkarounds.Text(InLanguage(string.Join("\n", english), string.Join("\n", chinese), language, "\n\n"));
        return vevent;
    }

    private static string ChineseRoomType(string roomType) => roomType switch
    {
        "single" => "单人间",
        "double" => "大床房",
        "twin" => "双床房",
        "suite" => "套房",
        _ => roomType,
    };

    /// <summary>Folds as <see cref="RenderUtf8(FeedCalendar, FeedRenderCache)"/> does: Ical.Net's folding, repaired.</summary>
    internal static string Serialize(Ical.Net.Calendar calendar) =>
        IcalNetWorkarounds.KeepSurrogatePairsWhole(new CalendarSerializer().SerializeToString(calendar)
            ?? throw new InvalidOperationException("Ical.Net returned no text."));

    internal sealed record Timed(FeedEvent Event, DateTimeZone StartZone, DateTimeZone EndZone, Instant Start, Instant End);

    /// <summary>The events whose zones and times can be placed, in start order (then by id).</summary>
    internal static List<Timed> Placed(IReadOnlyList<FeedEvent> events)
    {
        var placed = new List<Timed>(events.Count);
        foreach (var e in events)
        {
            if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(e.StartZone) is not { } startZone
                || DateTimeZoneProviders.Tzdb.GetZoneOrNull(e.EndZone) is not { } endZone)
            {
                continue;
            }

            try
            {
                placed.Add(new Timed(e, startZone, endZone, e.StartLocal.InZoneLeniently(startZone).ToInstant(), e.EndLocal.InZoneLeniently(endZone).ToInstant()));
            }
            catch (Exception ex) when (ex is ArgumentOutOfRangeException or OverflowException)
            {
                // A local time at the very edge of NodaTime's range: it has no instant, so no place in a calendar.
            }
        }

        placed.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Event.EngagementId.CompareTo(b.Event.EngagementId));
        return placed;
    }

    internal static (Instant Earliest, Instant Latest) Range(List<Timed> events)
    {
        var latest = Instant.MinValue;
        foreach (var t in events)
        {
            var last = t.End > t.Start ? t.End : t.Start;
            latest = last > latest ? last : latest;
        }

        return (events[0].Start, latest);
    }

    /// <summary>
    /// Every zone used, once, in order of first use: a TZID without its VTIMEZONE is one that clients must guess. Ical.Net
    /// 5.2.4 writes TZID references without any VTIMEZONE unless each zone is added.
    /// </summary>
    internal static List<(string Id, DateTimeZone Zone)> ZonesUsed(List<Timed> events)
    {
        var zones = new List<(string, DateTimeZone)>();
        foreach (var t in events)
        {
            Add(t.Event.StartZone, t.StartZone);
            Add(t.Event.EndZone, t.EndZone);
        }

        return zones;

        void Add(string id, DateTimeZone zone)
        {
            foreach (var (known, _) in zones)
            {
                if (string.Equals(known, id, StringComparison.Ordinal))
                {
                    return;
                }
            }

            zones.Add((id, zone));
        }
    }

    /// <summary>
    /// Whose attendee lines the calendar shows: <see cref="FeedRenderCache.EveryAttendee"/> (organiser feeds), its owner's
    /// (a person's feed), or none (<see cref="Guid.Empty"/>: busy feeds and every other feed).
    /// </summary>
    internal static Guid ViewerOf(FeedCalendar calendar) =>
        calendar.Detail != FeedDetail.Full ? Guid.Empty
        : calendar.ShowAllAttendees ? FeedRenderCache.EveryAttendee
        : calendar.OwnerPersonId ?? Guid.Empty;

    /// <summary>The English text, the Chinese one (else the English), or both joined by <paramref name="separator"/>.</summary>
    public static string InLanguage(string english, string? chinese, FeedLanguage language, string separator) => language switch
    {
        _ when string.IsNullOrEmpty(chinese) => english,
        FeedLanguage.Chinese => chinese,
        FeedLanguage.Both when english.Length == 0 => chinese,
        FeedLanguage.Both => english + separator + chinese,
        _ => english,
    };

    /// <summary>
    /// The event as the feed's tier and viewer see it, and nothing more, so that the cache compares exactly what is
    /// rendered: busy feeds keep times, status and the cities; full feeds keep everything but the attendee lines the
    /// viewer may not see (a person's feed: only their own; an organiser's: every one; other feeds: none).
    /// </summary>
    internal static FeedEvent ViewOf(FeedEvent e, FeedDetail detail, Guid viewer, FeedLanguage language = FeedLanguage.English)
    {
        // The feed's language picks the texts; what is not shown is not kept, so the cache compares what is rendered. Most
        // events have no Chinese text, and are not copied for it.
        if (e.TitleZh is not null || e.DescriptionZh is not null)
        {
            e = e with
            {
                Title = InLanguage(e.Title, e.TitleZh, language, " / "),
                Description = e.DescriptionZh is null ? e.Description : InLanguage(e.Description ?? "", e.DescriptionZh, language, "\n\n"),
                TitleZh = null,
                DescriptionZh = null,
            };
        }

        if (detail == FeedDetail.Busy)
        {
            return e with
            {
                Kind = string.Empty, Title = string.Empty, Description = null, Host = null, TravelMode = null, TravelReference = null,
                Place = CityOnly(e.Place), Destination = e.Destination is null ? null : CityOnly(e.Destination),
                Areas = NoAreas, Attendees = NoAttendees,
            };
        }

        if (viewer == FeedRenderCache.EveryAttendee)
        {
            return e;
        }

        if (viewer == Guid.Empty || e.Attendees.Count == 0)
        {
            return e.Attendees.Count == 0 ? e : e with { Attendees = NoAttendees };
        }

        var own = NoAttendees;
        foreach (var a in e.Attendees)
        {
            if (a.PersonId == viewer)
            {
                own = [.. own, a];
            }
        }

        return e with { Attendees = own };
    }

    private static FeedPlace CityOnly(FeedPlace p) => new(string.Empty, null, string.Empty, p.City, string.Empty, 0, 0);

    private static (byte[] Head, byte[] Tail) SerializeHeader(FeedCalendar calendar, string refresh)
    {
        var text = Serialize(Shell(calendar, refresh));
        if (!text.EndsWith(CalendarEnd, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Ical.Net's calendar text does not end with END:VCALENDAR.");
        }

        return (Encoding.UTF8.GetBytes(text[..^CalendarEnd.Length]), Encoding.UTF8.GetBytes(CalendarEnd));
    }

    private static Ical.Net.Calendar Shell(FeedCalendar calendar, string refresh)
    {
        var ical = new Ical.Net.Calendar
        {
            ProductId = ProductId,
            Version = "2.0",
            Scale = "GREGORIAN",
            Method = "PUBLISH",
        };
        ical.AddProperty("X-WR-CALNAME", IcalNetWorkarounds.Text(calendar.Name));
        ical.AddProperty("X-WR-TIMEZONE", IcalNetWorkarounds.Text(calendar.DefaultTimeZone));
        var refreshProperty = new CalendarProperty("REFRESH-INTERVAL", refresh);
        refreshProperty.Parameters.Add("VALUE", "DURATION");
        ical.Properties.Add(refreshProperty);
        ical.AddProperty("X-PUBLISHED-TTL", refresh);
        return ical;
    }

    private static byte[] Serialize(ComponentSerializer serializer, ICalendarComponent component) =>
        Encoding.UTF8.GetBytes(IcalNetWorkarounds.KeepSurrogatePairsWhole(
            serializer.SerializeToString(component) ?? throw new InvalidOperationException("Ical.Net returned no text.")));

    /// <summary>
    /// Serializes one render's events through one Ical.Net <see cref="SerializationContext"/>: each serializer made
    /// without one builds and drops a whole context of its own. A person is on many events of an organiser feed (ten
    /// each in the scale test's programme), so each distinct attendee is one Ical.Net <see cref="Attendee"/> for the
    /// render, and Ical.Net's text of its ATTENDEE line is kept and reused (<see cref="AttendeeLines"/>). Not
    /// thread-safe: one per render.
    /// </summary>
    private sealed class EventWriter
    {
        private readonly Dictionary<FeedAttendee, Attendee> attendees = [];
        private (EventSerializer Serializer, AttendeeLines.Factory Lines) events = NewSerializer();

        public byte[] Event(FeedEvent view, FeedDetail detail, string? url, string? organizerName, string? organizerEmail, Timed timed)
        {
            try
            {
                return Serialize(BuildEvent(view, detail, url, organizerName, organizerEmail, AttendeeOnce));
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException)
            {
                // A serialization that threw may have left the shared context mid-way: the rest of the render gets a new one.
                events = NewSerializer();
                return Serialize(BareEvent(view, detail, timed));
            }
        }

        public byte[] Stay(CalendarEvent stay) => Serialize(stay);

        private byte[] Serialize(CalendarEvent vevent) =>
            events.Lines.ToUtf8(IcalNetWorkarounds.KeepSurrogatePairsWhole(
                events.Serializer.SerializeToString(vevent) ?? throw new InvalidOperationException("Ical.Net returned no text.")));

        private static (EventSerializer, AttendeeLines.Factory) NewSerializer()
        {
            var context = new SerializationContext();
            var lines = new AttendeeLines.Factory();
            context.SetService(lines);
            return (new EventSerializer(context), lines);
        }

        /// <summary>One Ical.Net attendee per distinct attendee line: the key of <see cref="AttendeeLines"/>' bytes.</summary>
        private Attendee AttendeeOnce(FeedAttendee a)
        {
            if (!attendees.TryGetValue(a, out var attendee))
            {
                attendee = AttendeeOf(a);
                attendees[a] = attendee;
            }

            return attendee;
        }
    }

    internal static CalendarEvent BuildEvent(
        FeedEvent e, FeedDetail detail, string? url, string? organizerName, string? organizerEmail, Func<FeedAttendee, Attendee>? attendeeOf = null)
    {
        var vevent = new CalendarEvent
        {
            Uid = Uid(e),
            Sequence = e.Sequence,
            DtStamp = Utc(e.UpdatedAt),
            Created = Utc(e.CreatedAt),
            LastModified = Utc(e.UpdatedAt),
            DtStart = Zoned(e.StartLocal, e.StartZone),
            DtEnd = Zoned(e.EndLocal, e.EndZone),
            Status = StatusOf(e),
        };

        if (detail == FeedDetail.Busy)
        {
            vevent.Summary = "Busy";
            vevent.Location = IcalNetWorkarounds.Text(BusyLocation(e));
            vevent.Class = "PRIVATE";
            return vevent;
        }

        vevent.Summary = IcalNetWorkarounds.Text(e.Title);
        vevent.Location = IcalNetWorkarounds.Text(FullLocation(e));
        var link = Link(url);
        var description = DescriptionOf(e, link?.OriginalString);
        if (description.Length > 0)
        {
            vevent.Description = description;
        }

        vevent.GeographicLocation = new GeographicLocation(e.Place.Latitude, e.Place.Longitude);
        vevent.Categories.Add(IcalNetWorkarounds.Text(e.Kind));
        foreach (var area in e.Areas)
        {
            vevent.Categories.Add(IcalNetWorkarounds.Text(area));
        }

        if (link is not null)
        {
            vevent.Url = link;
        }

        if (Validators.TryMailtoUri(organizerEmail?.Trim(), out var organizerUri))
        {
            // Value, not Organizer(string): that constructor reads its argument as escaped iCalendar text.
            var organizer = new Organizer { Value = new Uri(organizerUri, UriKind.Absolute) };
            if (!string.IsNullOrWhiteSpace(organizerName))
            {
                organizer.CommonName = IcalNetWorkarounds.ParameterText(organizerName);
            }

            vevent.Organizer = organizer;
        }

        // Ical.Net's Attendees getter makes a new list proxy on every call, and each proxy looks up the ATTENDEE property
        // again through iterators of its own: one proxy for all of an event's attendees.
        attendeeOf ??= AttendeeOf;
        var attendees = vevent.Attendees;
        foreach (var attendee in e.Attendees)
        {
            attendees.Add(attendeeOf(attendee));
        }

        return vevent;
    }

    /// <summary>What is left of an event when the full one cannot be written: identity, times, status and the summary.</summary>
    private static CalendarEvent BareEvent(FeedEvent e, FeedDetail detail, Timed timed)
    {
        var vevent = new CalendarEvent
        {
            Uid = Uid(e),
            Sequence = e.Sequence,
            DtStamp = Utc(e.UpdatedAt),
            DtStart = Utc(timed.Start),
            DtEnd = Utc(timed.End),
            Summary = detail == FeedDetail.Busy ? "Busy" : IcalNetWorkarounds.Text(e.Title),
        };
        try
        {
            vevent.Status = StatusOf(e);
        }
        catch (ArgumentException)
        {
            // An unknown status: the event is shown without one (RFC 5545 makes STATUS optional).
        }

        return vevent;
    }

    private static string Uid(FeedEvent e) => e.EngagementId.ToString("D", CultureInfo.InvariantCulture) + UidSuffix;

    /// <summary>
    /// A person's address as a mailto: URI (<see cref="Validators.TryMailtoUri"/>), or when they have no usable address
    /// their id as a urn:uuid, so that an odd address recorded before it was checked never breaks the feed.
    /// </summary>
    private static Attendee AttendeeOf(FeedAttendee a)
    {
        var address = Validators.TryMailtoUri(a.Email?.Trim(), out var mailto)
            ? mailto
            : "urn:uuid:" + a.PersonId.ToString("D", CultureInfo.InvariantCulture);
        var name = string.IsNullOrWhiteSpace(a.LocalName) ? a.FullName : $"{a.FullName} ({a.LocalName})";
        return new Attendee(new Uri(address, UriKind.Absolute))
        {
            CommonName = IcalNetWorkarounds.ParameterText(name),
            Role = Code(a.Role) switch
            {
                "chair" => "CHAIR",
                "required" => "REQ-PARTICIPANT",
                "optional" => "OPT-PARTICIPANT",
                _ => throw new ArgumentException($"Unknown attendee role '{a.Role}'.", nameof(a)),
            },
            ParticipationStatus = Code(a.Response) switch
            {
                "needs-action" => "NEEDS-ACTION",
                "accepted" => "ACCEPTED",
                "declined" => "DECLINED",
                "tentative" => "TENTATIVE",
                _ => throw new ArgumentException($"Unknown attendee response '{a.Response}'.", nameof(a)),
            },
        };
    }

    /// <summary>An absolute http(s) link without control characters or white space, or null.</summary>
    private static Uri? Link(string? url)
    {
        var trimmed = url?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            || !Uri.TryCreate(trimmed, UriKind.Absolute, out var link) || link.Scheme is not ("http" or "https"))
        {
            return null;
        }

        return link;
    }

    private static string StatusOf(FeedEvent e) => Code(e.Status) switch
    {
        "cancelled" or "canceled" => "CANCELLED",
        _ when e.ReviewPending => "TENTATIVE",
        "tentative" => "TENTATIVE",
        "confirmed" => "CONFIRMED",
        _ => throw new ArgumentException($"Unknown engagement status '{e.Status}'.", nameof(e)),
    };

    private static string Code(string value) =>
        value.Trim().Replace('_', '-').ToLowerInvariant() switch
        {
            "needsaction" => "needs-action",
            var code => code,
        };

    private static string FullLocation(FeedEvent e) =>
        e.Destination is null ? PlaceText(e.Place) : $"{PlaceText(e.Place)} → {PlaceText(e.Destination)}";

    private static string BusyLocation(FeedEvent e) =>
        e.Destination is null || string.Equals(e.Place.City, e.Destination.City, StringComparison.Ordinal)
            ? e.Place.City
            : $"{e.Place.City} → {e.Destination.City}";

    /// <summary>"Name (local name), address", leaving out what is missing.</summary>
    private static string PlaceText(FeedPlace p)
    {
        var text = p.Name;
        if (!string.IsNullOrWhiteSpace(p.LocalName) && !string.Equals(p.LocalName, p.Name, StringComparison.Ordinal))
        {
            text += $" ({p.LocalName})";
        }

        return string.IsNullOrWhiteSpace(p.Address) ? text : $"{text}, {p.Address}";
    }

    /// <summary>Description, host, travel mode and reference, and the link, one per line; empty when all are.</summary>
    private static string DescriptionOf(FeedEvent e, string? url)
    {
        var parts = new List<string>(5);
        Part(string.Empty, e.Description);
        Part("Host: ", e.Host);
        Part("Travel: ", e.TravelMode);
        Part("Reference: ", e.TravelReference);
        Part(string.Empty, url);
        return IcalNetWorkarounds.Text(string.Join("\n", parts));

        void Part(string label, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add(label + value.Trim());
            }
        }
    }

    private static CalDateTime Utc(Instant instant) => new(instant.ToDateTimeUtc());

    private static CalDateTime Zoned(LocalDateTime local, string zone) =>
        new(new DateOnly(local.Year, local.Month, local.Day), new TimeOnly(local.Hour, local.Minute, local.Second), zone);

    /// <summary>
    /// RFC 5545 dur-value: "P1D", "PT1H", "PT1H30M", "PT1H0M5S" (the grammar allows no gap between H and S).
    /// Whole seconds; at least one second.
    /// </summary>
    internal static string DurationValue(Duration duration)
    {
        var total = (long)Math.Floor(duration.TotalSeconds);
        if (total < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), "A refresh interval must be at least one second.");
        }

        var days = total / 86_400;
        var hours = total % 86_400 / 3_600;
        var minutes = total % 3_600 / 60;
        var seconds = total % 60;
        var text = new StringBuilder("P");
        if (days > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{days}D");
        }

        if (hours + minutes + seconds > 0)
        {
            text.Append('T');
            if (hours > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{hours}H");
            }

            if (minutes > 0 || (hours > 0 && seconds > 0))
            {
                text.Append(CultureInfo.InvariantCulture, $"{minutes}M");
            }

            if (seconds > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{seconds}S");
            }
        }

        return text.ToString();
    }
}
