using System.Globalization;
using System.Text;
using NodaTime;

namespace CommissionPlanner.Calendar;

/// <summary>
/// Renders a feed as iCalendar (RFC 5545) text, byte-stable for the same input: no "now", no random ids,
/// events in start-instant order. The content lines are written directly (<see cref="IcsWriter"/>), VTIMEZONEs
/// by <see cref="TimeZoneComponents"/>. The output is byte for byte what Ical.Net 5.2.4's serializer gave
/// (kept as the reference renderer in the tests), at a small fraction of its cost: docs/feeds.md.
/// </summary>
public static class FeedRenderer
{
    public const string ProductId = "-//Commission Planner//Feeds 1.0//EN";
    public const string UidSuffix = "@commission-planner";

    /// <summary>The feed as text: CRLF line ends, folded at 75 octets, ending with CRLF.</summary>
    public static string Render(FeedCalendar calendar) => Write(calendar).ToString();

    /// <summary>The feed as UTF-8 bytes without a byte-order mark (what an HTTP response should carry).</summary>
    public static byte[] RenderUtf8(FeedCalendar calendar) => Write(calendar).ToUtf8();

    // Every component's properties are written in alphabetical order, as Ical.Net's serializer sorted them: the
    // order is not significant in iCalendar, but keeping it keeps the output identical to the reference.
    private static IcsWriter Write(FeedCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var events = calendar.Events
            .Select(e => new Timed(e, ZoneOf(e.StartZone), ZoneOf(e.EndZone)))
            .OrderBy(t => t.Start)
            .ThenBy(t => t.Event.EngagementId)
            .ToList();
        var refresh = DurationValue(calendar.RefreshInterval);

        var writer = new IcsWriter();
        writer.Begin("VCALENDAR");
        writer.Property("CALSCALE").Raw("GREGORIAN").EndLine();
        writer.Property("METHOD").Raw("PUBLISH").EndLine();
        writer.Property("PRODID").Text(ProductId).EndLine();
        writer.Property("REFRESH-INTERVAL").Parameter("VALUE", "DURATION").Raw(refresh).EndLine();
        writer.Property("VERSION").Raw("2.0").EndLine();
        writer.Property("X-PUBLISHED-TTL").Raw(refresh).EndLine();
        writer.Property("X-WR-CALNAME").Text(calendar.Name).EndLine();
        writer.Property("X-WR-TIMEZONE").Text(calendar.DefaultTimeZone).EndLine();
        WriteTimeZones(writer, events);
        foreach (var timed in events)
        {
            WriteEvent(writer, calendar, timed.Event);
        }

        writer.End("VCALENDAR");
        return writer;
    }

    private sealed record Timed(FeedEvent Event, DateTimeZone StartZone, DateTimeZone EndZone)
    {
        public Instant Start { get; } = Event.StartLocal.InZoneLeniently(StartZone).ToInstant();

        public Instant End { get; } = Event.EndLocal.InZoneLeniently(EndZone).ToInstant();
    }

    /// <summary>
    /// Every zone used, once, in order of first use, over a range anchored to the events (never to today):
    /// a TZID without its VTIMEZONE is one that clients must guess.
    /// </summary>
    private static void WriteTimeZones(IcsWriter writer, List<Timed> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        var earliest = events[0].Start; // the events are in start order
        var latest = events.Max(t => t.End > t.Start ? t.End : t.Start);
        var written = new List<string>();
        foreach (var timed in events)
        {
            WriteOnce(timed.Event.StartZone, timed.StartZone);
            WriteOnce(timed.Event.EndZone, timed.EndZone);
        }

        void WriteOnce(string id, DateTimeZone zone)
        {
            if (!written.Contains(id, StringComparer.Ordinal))
            {
                written.Add(id);
                TimeZoneComponents.Write(writer, id, zone, earliest, latest);
            }
        }
    }

    private static void WriteEvent(IcsWriter writer, FeedCalendar calendar, FeedEvent e)
    {
        var full = calendar.Detail == FeedDetail.Full;
        var status = StatusOf(e);
        var url = full ? calendar.EventUrl?.Invoke(e.EngagementId) : null;
        // Parsed before anything of the event is written: a malformed link refuses the feed.
        var link = string.IsNullOrWhiteSpace(url) ? null : new Uri(url, UriKind.Absolute);

        writer.Begin("VEVENT");
        if (full)
        {
            var attendees = calendar.ShowAllAttendees
                ? e.Attendees
                : calendar.OwnerPersonId is { } owner ? e.Attendees.Where(a => a.PersonId == owner).ToList() : [];
            foreach (var attendee in attendees)
            {
                WriteAttendee(writer, attendee);
            }

            writer.Property("CATEGORIES").Text(e.Kind);
            foreach (var area in e.Areas)
            {
                writer.NextValue().Text(area);
            }

            writer.EndLine();
        }
        else
        {
            writer.Property("CLASS").Raw("PRIVATE").EndLine();
        }

        writer.Property("CREATED").UtcDateTime(e.CreatedAt).EndLine();
        if (full)
        {
            WriteDescription(writer, e, url);
        }

        writer.Property("DTEND").Parameter("TZID", e.EndZone).LocalDateTime(e.EndLocal).EndLine();
        writer.Property("DTSTAMP").UtcDateTime(e.UpdatedAt).EndLine();
        writer.Property("DTSTART").Parameter("TZID", e.StartZone).LocalDateTime(e.StartLocal).EndLine();
        if (full)
        {
            writer.Property("GEO").Decimal(e.Place.Latitude).Raw(";").Decimal(e.Place.Longitude).EndLine();
        }

        writer.Property("LAST-MODIFIED").UtcDateTime(e.UpdatedAt).EndLine();
        writer.Property("LOCATION");
        if (full)
        {
            WriteFullLocation(writer, e);
        }
        else
        {
            WriteBusyLocation(writer, e);
        }

        writer.EndLine();
        if (full && !string.IsNullOrWhiteSpace(calendar.OrganizerEmail))
        {
            writer.Property("ORGANIZER");
            if (!string.IsNullOrWhiteSpace(calendar.OrganizerName))
            {
                writer.Parameter("CN", calendar.OrganizerName);
            }

            // Ical.Net escaped the ORGANIZER address as TEXT (but not an ATTENDEE's): kept for identical output.
            writer.Text("mailto:").Text(calendar.OrganizerEmail.AsSpan().Trim()).EndLine();
        }

        writer.Property("SEQUENCE").Integer(e.Sequence).EndLine();
        writer.Property("STATUS").Raw(status).EndLine();
        writer.Property("SUMMARY").Text(full ? e.Title : "Busy").EndLine();
        writer.Property("UID").Uuid(e.EngagementId).Raw(UidSuffix).EndLine();
        if (link is not null)
        {
            writer.Property("URL").Raw(link.OriginalString).EndLine();
        }

        writer.End("VEVENT");
    }

    private static void WriteAttendee(IcsWriter writer, FeedAttendee a)
    {
        var address = string.IsNullOrWhiteSpace(a.Email)
            ? "urn:uuid:" + a.PersonId.ToString("D", CultureInfo.InvariantCulture)
            : "mailto:" + a.Email.Trim();
        if (!Uri.IsWellFormedUriString(address, UriKind.Absolute))
        {
            throw new ArgumentException($"The attendee address '{address}' is not a well-formed URI.", nameof(a));
        }

        var role = Code(a.Role) switch
        {
            "chair" => "CHAIR",
            "required" => "REQ-PARTICIPANT",
            "optional" => "OPT-PARTICIPANT",
            _ => throw new ArgumentException($"Unknown attendee role '{a.Role}'.", nameof(a)),
        };
        var response = Code(a.Response) switch
        {
            "needs-action" => "NEEDS-ACTION",
            "accepted" => "ACCEPTED",
            "declined" => "DECLINED",
            "tentative" => "TENTATIVE",
            _ => throw new ArgumentException($"Unknown attendee response '{a.Response}'.", nameof(a)),
        };
        var name = string.IsNullOrWhiteSpace(a.LocalName) ? a.FullName : $"{a.FullName} ({a.LocalName})";
        writer.Property("ATTENDEE").Parameter("CN", name).Parameter("ROLE", role).Parameter("PARTSTAT", response).Raw(address).EndLine();
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

    /// <summary>The venue, and for a travel leg "venue → arrival venue".</summary>
    private static void WriteFullLocation(IcsWriter writer, FeedEvent e)
    {
        WritePlace(writer, e.Place);
        if (e.Destination is not null)
        {
            writer.Text(" → ");
            WritePlace(writer, e.Destination);
        }
    }

    private static void WriteBusyLocation(IcsWriter writer, FeedEvent e)
    {
        writer.Text(e.Place.City);
        if (e.Destination is not null && !string.Equals(e.Place.City, e.Destination.City, StringComparison.Ordinal))
        {
            writer.Text(" → ").Text(e.Destination.City);
        }
    }

    /// <summary>"Name (local name), address", leaving out what is missing.</summary>
    private static void WritePlace(IcsWriter writer, FeedPlace p)
    {
        writer.Text(p.Name);
        if (!string.IsNullOrWhiteSpace(p.LocalName) && !string.Equals(p.LocalName, p.Name, StringComparison.Ordinal))
        {
            writer.Text(" (").Text(p.LocalName).Text(")");
        }

        if (!string.IsNullOrWhiteSpace(p.Address))
        {
            writer.Text(", ").Text(p.Address);
        }
    }

    /// <summary>Description, host, travel mode and reference, and the link, one per line; no DESCRIPTION when all are empty.</summary>
    private static void WriteDescription(IcsWriter writer, FeedEvent e, string? url)
    {
        var started = false;
        Part(string.Empty, e.Description);
        Part("Host: ", e.Host);
        Part("Travel: ", e.TravelMode);
        Part("Reference: ", e.TravelReference);
        Part(string.Empty, url);
        if (started)
        {
            writer.EndLine();
        }

        void Part(string label, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return;
            }

            if (started)
            {
                writer.Text("\n");
            }
            else
            {
                writer.Property("DESCRIPTION");
                started = true;
            }

            writer.Text(label).Text(value.AsSpan().Trim());
        }
    }

    private static DateTimeZone ZoneOf(string id) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(id)
        ?? throw new ArgumentException($"Unknown IANA time zone '{id}'.", nameof(id));

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
