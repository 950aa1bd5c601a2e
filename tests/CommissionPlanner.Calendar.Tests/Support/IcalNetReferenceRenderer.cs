using System.Globalization;
using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using NodaTime;

namespace CommissionPlanner.Calendar.Tests.Support;

/// <summary>
/// The feed renderer as it was before <see cref="FeedRenderer"/> wrote content lines itself: an Ical.Net 5.2.4
/// object model serialized by <c>CalendarSerializer</c>, VTIMEZONEs built as Ical.Net objects from the product's
/// <see cref="TimeZoneComponents.Observances"/>, and Ical.Net's folding redone (<see cref="Refold"/>). Kept as
/// the reference that the direct writer must match byte for byte (FeedRendererReferenceTests).
/// </summary>
internal static class IcalNetReferenceRenderer
{
    /// <summary>The feed as text: CRLF line ends, folded at 75 octets, ending with CRLF.</summary>
    public static string Render(FeedCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var events = calendar.Events
            .Select(e => new Timed(e, ZoneOf(e.StartZone), ZoneOf(e.EndZone)))
            .OrderBy(t => t.Start)
            .ThenBy(t => t.Event.EngagementId)
            .ToList();

        var ical = new Ical.Net.Calendar
        {
            ProductId = FeedRenderer.ProductId,
            Version = "2.0",
            Scale = "GREGORIAN",
            Method = "PUBLISH",
        };
        ical.AddProperty("X-WR-CALNAME", Text(calendar.Name));
        ical.AddProperty("X-WR-TIMEZONE", calendar.DefaultTimeZone);
        var refresh = FeedRenderer.DurationValue(calendar.RefreshInterval);
        var refreshProperty = new CalendarProperty("REFRESH-INTERVAL", refresh);
        refreshProperty.Parameters.Add("VALUE", "DURATION");
        ical.Properties.Add(refreshProperty);
        ical.AddProperty("X-PUBLISHED-TTL", refresh);

        // Ical.Net 5.2 writes TZID references without any VTIMEZONE unless each zone is added: add every
        // zone used, once, in order of first use, over a range anchored to the events (never to today).
        if (events.Count > 0)
        {
            var earliest = events.Min(t => t.Start);
            var latest = events.Max(t => t.End > t.Start ? t.End : t.Start);
            var zones = events
                .SelectMany(t => new[] { (t.Event.StartZone, t.StartZone), (t.Event.EndZone, t.EndZone) })
                .DistinctBy(z => z.Item1, StringComparer.Ordinal);
            foreach (var (id, zone) in zones)
            {
                ical.AddChild(TimeZone(id, zone, earliest, latest));
            }
        }

        foreach (var timed in events)
        {
            ical.Events.Add(BuildEvent(calendar, timed.Event));
        }

        var serialized = new CalendarSerializer().SerializeToString(ical)
            ?? throw new InvalidOperationException("Ical.Net returned no text.");
        return Refold(serialized);
    }

    private sealed record Timed(FeedEvent Event, DateTimeZone StartZone, DateTimeZone EndZone)
    {
        public Instant Start { get; } = Event.StartLocal.InZoneLeniently(StartZone).ToInstant();

        public Instant End { get; } = Event.EndLocal.InZoneLeniently(EndZone).ToInstant();
    }

    private static CalendarEvent BuildEvent(FeedCalendar calendar, FeedEvent e)
    {
        var full = calendar.Detail == FeedDetail.Full;
        var vevent = new CalendarEvent
        {
            Uid = e.EngagementId.ToString("D", CultureInfo.InvariantCulture) + FeedRenderer.UidSuffix,
            Sequence = e.Sequence,
            DtStamp = Utc(e.UpdatedAt),
            Created = Utc(e.CreatedAt),
            LastModified = Utc(e.UpdatedAt),
            DtStart = Zoned(e.StartLocal, e.StartZone),
            DtEnd = Zoned(e.EndLocal, e.EndZone),
            Status = StatusOf(e),
        };

        if (!full)
        {
            vevent.Summary = "Busy";
            vevent.Location = Text(BusyLocation(e));
            vevent.Class = "PRIVATE";
            return vevent;
        }

        vevent.Summary = Text(e.Title);
        vevent.Location = Text(FullLocation(e));
        var url = calendar.EventUrl?.Invoke(e.EngagementId);
        var description = DescriptionOf(e, url);
        if (description.Length > 0)
        {
            vevent.Description = description;
        }

        vevent.GeographicLocation = new GeographicLocation(e.Place.Latitude, e.Place.Longitude);
        vevent.Categories.Add(Text(e.Kind));
        foreach (var area in e.Areas)
        {
            vevent.Categories.Add(Text(area));
        }

        if (!string.IsNullOrWhiteSpace(url))
        {
            vevent.Url = new Uri(url, UriKind.Absolute);
        }

        if (!string.IsNullOrWhiteSpace(calendar.OrganizerEmail))
        {
            var organizer = new Organizer("mailto:" + calendar.OrganizerEmail.Trim());
            if (!string.IsNullOrWhiteSpace(calendar.OrganizerName))
            {
                organizer.CommonName = ParameterText(calendar.OrganizerName);
            }

            vevent.Organizer = organizer;
        }

        var attendees = calendar.ShowAllAttendees
            ? e.Attendees
            : calendar.OwnerPersonId is { } owner ? e.Attendees.Where(a => a.PersonId == owner).ToList() : [];
        foreach (var attendee in attendees)
        {
            vevent.Attendees.Add(AttendeeOf(attendee));
        }

        return vevent;
    }

    private static Attendee AttendeeOf(FeedAttendee a)
    {
        var address = string.IsNullOrWhiteSpace(a.Email)
            ? "urn:uuid:" + a.PersonId.ToString("D", CultureInfo.InvariantCulture)
            : "mailto:" + a.Email.Trim();
        var name = string.IsNullOrWhiteSpace(a.LocalName) ? a.FullName : $"{a.FullName} ({a.LocalName})";
        return new Attendee(address)
        {
            CommonName = ParameterText(name),
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

    private static string PlaceText(FeedPlace p)
    {
        var text = p.Name;
        if (!string.IsNullOrWhiteSpace(p.LocalName) && !string.Equals(p.LocalName, p.Name, StringComparison.Ordinal))
        {
            text += $" ({p.LocalName})";
        }

        return string.IsNullOrWhiteSpace(p.Address) ? text : $"{text}, {p.Address}";
    }

    private static string DescriptionOf(FeedEvent e, string? url)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(e.Description))
        {
            parts.Add(e.Description.Trim());
        }

        if (!string.IsNullOrWhiteSpace(e.Host))
        {
            parts.Add($"Host: {e.Host.Trim()}");
        }

        if (!string.IsNullOrWhiteSpace(e.TravelMode))
        {
            parts.Add($"Travel: {e.TravelMode.Trim()}");
        }

        if (!string.IsNullOrWhiteSpace(e.TravelReference))
        {
            parts.Add($"Reference: {e.TravelReference.Trim()}");
        }

        if (!string.IsNullOrWhiteSpace(url))
        {
            parts.Add(url.Trim());
        }

        return Text(string.Join("\n", parts));
    }

    private static DateTimeZone ZoneOf(string id) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(id)
        ?? throw new ArgumentException($"Unknown IANA time zone '{id}'.", nameof(id));

    private static CalDateTime Utc(Instant instant) => new(instant.ToDateTimeUtc());

    private static CalDateTime Zoned(LocalDateTime local, string zone) =>
        new(new DateOnly(local.Year, local.Month, local.Day), new TimeOnly(local.Hour, local.Minute, local.Second), zone);

    /// <summary>
    /// A TEXT value as Ical.Net should escape it: CRLF and CR become LF (written as \n), other control
    /// characters (not allowed in TEXT) become spaces, and lone surrogates become U+FFFD.
    /// </summary>
    private static string Text(string value)
    {
        var normalized = value.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var builder = new StringBuilder(normalized.Length);
        for (var i = 0; i < normalized.Length; i++)
        {
            var c = normalized[i];
            if (char.IsHighSurrogate(c) && i + 1 < normalized.Length && char.IsLowSurrogate(normalized[i + 1]))
            {
                builder.Append(c).Append(normalized[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                builder.Append('\uFFFD');
            }
            else if (c is '\n' or '\t' || !char.IsControl(c))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(' ');
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// A parameter value (CN): no line breaks or controls (Ical.Net 5.2.4 writes them raw, breaking the
    /// line) and no DQUOTE (not allowed even in a quoted parameter); Ical.Net adds the quotes it needs.
    /// </summary>
    private static string ParameterText(string value)
    {
        var text = Text(value).Replace('\n', ' ').Replace('\t', ' ').Replace('"', '\'');
        return text.Trim();
    }
    private static VTimeZone TimeZone(string tzId, DateTimeZone zone, Instant earliest, Instant latest)
    {
        var vtz = new VTimeZone { TzId = tzId };
        foreach (var observance in TimeZoneComponents.Observances(zone, earliest, latest))
        {
            var info = new VTimeZoneInfo
            {
                Name = observance.Daylight ? "DAYLIGHT" : "STANDARD",
                TimeZoneName = observance.Name,
                OffsetFrom = new UtcOffset(observance.From.ToTimeSpan()),
                OffsetTo = new UtcOffset(observance.To.ToTimeSpan()),
                Start = Floating(observance.Start),
            };
            if (observance.Rule is { } rule)
            {
                var pattern = new RecurrencePattern(FrequencyType.Yearly);
                pattern.ByMonth.Add(rule.Month);
                pattern.ByDay.Add(new WeekDay(rule.Day == IsoDayOfWeek.Sunday ? DayOfWeek.Sunday : (DayOfWeek)(int)rule.Day, rule.Ordinal));
                if (rule.Until is { } until)
                {
                    pattern.Until = new CalDateTime(until.ToDateTimeUtc());
                }

                info.RecurrenceRule = pattern;
            }

            foreach (var recurrence in observance.Recurrences)
            {
                info.RecurrenceDates.Add(Floating(recurrence));
            }

            vtz.AddChild(info);
        }

        return vtz;
    }

    private static CalDateTime Floating(LocalDateTime local) =>
        new(new DateOnly(local.Year, local.Month, local.Day), new TimeOnly(local.Hour, local.Minute, local.Second), tzId: null);

    /// <summary>
    /// Ical.Net 5.2.4 folds by UTF-16 chars and splits surrogate pairs: unfold its output and fold every logical
    /// line again at 75 octets on code-point boundaries, never between a backslash and the character after it.
    /// </summary>
    private static string Refold(string text)
    {
        var unfolded = text.Replace("\r\n ", string.Empty, StringComparison.Ordinal).Replace("\r\n\t", string.Empty, StringComparison.Ordinal);
        var builder = new StringBuilder(text.Length + (text.Length / 64));
        foreach (var line in unfolded.Split("\r\n"))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.Contains('\r', StringComparison.Ordinal) || line.Contains('\n', StringComparison.Ordinal))
            {
                throw new InvalidOperationException("A content line holds a bare CR or LF; text values must be escaped.");
            }

            var octets = 0;
            var i = 0;
            while (i < line.Length)
            {
                var length = CodePointLength(line, i);
                if (line[i] == '\\' && i + length < line.Length)
                {
                    length += CodePointLength(line, i + length);
                }

                var size = Encoding.UTF8.GetByteCount(line.AsSpan(i, length));
                if (octets + size > 75)
                {
                    builder.Append("\r\n ");
                    octets = 1;
                }

                builder.Append(line, i, length);
                octets += size;
                i += length;
            }

            builder.Append("\r\n");
        }

        return builder.ToString();
    }

    private static int CodePointLength(string s, int index) =>
        char.IsHighSurrogate(s[index]) && index + 1 < s.Length && char.IsLowSurrogate(s[index + 1]) ? 2 : 1;
}
