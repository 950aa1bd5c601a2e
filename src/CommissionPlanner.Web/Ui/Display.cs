using System.Globalization;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Planning;
using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace CommissionPlanner.Web.Ui;

/// <summary>How the pages show times, kinds and names.</summary>
internal static class Display
{
    private static readonly LocalDateTimePattern DayTime = LocalDateTimePattern.CreateWithInvariantCulture("ddd d MMM HH:mm");
    private static readonly LocalTimePattern Time = LocalTimePattern.CreateWithInvariantCulture("HH:mm");
    private static readonly LocalDatePattern Day = LocalDatePattern.CreateWithInvariantCulture("dddd d MMMM yyyy");

    /// <summary>The kinds in legend order, each with a text code so the legend does not rely on colour alone.</summary>
    public static readonly IReadOnlyList<(string Kind, string Label, string Code)> Kinds =
    [
        ("meeting", "Meeting", "M"),
        ("site-visit", "Site visit", "V"),
        ("reception", "Reception", "R"),
        ("briefing", "Briefing", "B"),
        ("press", "Press", "P"),
        ("travel", "Travel", "T"),
    ];

    /// <summary>"Chinese–English" for "en-zh": the pair as people read it (the stored text when it is not a pair).</summary>
    public static string LanguagePair(string pair) =>
        CommissionPlanner.Domain.Languages.LanguagePair.TryParse(pair, out var parsed)
            ? $"{CommissionPlanner.Domain.Languages.LanguageTags.DisplayName(parsed.First)}–{CommissionPlanner.Domain.Languages.LanguageTags.DisplayName(parsed.Second)}"
            : pair;

    public static string KindLabel(string kind) => Kinds.FirstOrDefault(k => k.Kind == kind).Label ?? kind;

    public static string KindCode(string kind) => Kinds.FirstOrDefault(k => k.Kind == kind).Code ?? "?";

    public static LocalDateTime Local(string wire) =>
        WireTime.TryParseLocal(wire, out var value) ? value : throw new FormatException($"Not a local date-time: {wire}");

    public static Instant Utc(string wire) => InstantPattern.ExtendedIso.Parse(wire).GetValueOrThrow();

    public static string DayAndTime(string local) => DayTime.Format(Local(local));

    public static string TimeOf(string local) => Time.Format(Local(local).TimeOfDay);

    public static string LongDay(LocalDate date) => Day.Format(date);

    /// <summary>"10:00 Asia/Shanghai" — a local time always with its zone.</summary>
    public static string WithZone(string local, string zone) => $"{DayAndTime(local)} ({zone})";

    /// <summary>An instant in another zone, e.g. the delegation's home time: "02:00 Europe/London".</summary>
    public static string InZone(string utc, string? zone)
    {
        if (zone is null || DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is not { } z)
        {
            return string.Empty;
        }

        return $"{DayTime.Format(Utc(utc).InZone(z).LocalDateTime)} {zone}";
    }

    public static string UtcText(string utc) => $"{DayTime.Format(Utc(utc).InUtc().LocalDateTime)} UTC";

    /// <summary>A delegation's home zone, from its country (the first zone TZDB lists for it: GB → Europe/London).</summary>
    public static string? HomeZone(string? country)
    {
        if (string.IsNullOrEmpty(country))
        {
            return null;
        }

        return TzdbDateTimeZoneSource.Default.ZoneLocations?
            .FirstOrDefault(l => string.Equals(l.CountryCode, country, StringComparison.OrdinalIgnoreCase))?.ZoneId;
    }

    /// <summary>Chinese (and other CJK) names are marked up with their language so screen readers and fonts get them right.</summary>
    public static string LangOf(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "en";
        }

        foreach (var c in text)
        {
            if (c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf')
            {
                return "zh";
            }
        }

        return "en";
    }

    public static string MapLink(VenueResource venue)
    {
        ArgumentNullException.ThrowIfNull(venue);
        var lat = venue.Latitude.ToString("0.#####", CultureInfo.InvariantCulture);
        var lon = venue.Longitude.ToString("0.#####", CultureInfo.InvariantCulture);
        return $"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}";
    }

    public static string Words(string wire) => wire.Replace('-', ' ');
}
