using System.Globalization;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Planning;
using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;
using Microsoft.Extensions.Localization;

namespace CommissionPlanner.Web.Ui;

/// <summary>How the pages show times, kinds and names.</summary>
internal static class Display
{
    private static readonly IStringLocalizer L = Localised.For(typeof(Display));

    // Dates as each language writes them: "Tue 11 Nov 10:00" and "11月11日 周二 10:00"; 24-hour clocks in both.
    private static readonly LocalDateTimePattern EnglishDayTime = LocalDateTimePattern.Create("ddd d MMM HH:mm", UiLanguages.EnglishCulture);
    private static readonly LocalDatePattern EnglishDay = LocalDatePattern.Create("dddd d MMMM yyyy", UiLanguages.EnglishCulture);
    private static readonly LocalDateTimePattern ChineseDayTime = LocalDateTimePattern.Create("M'月'd'日' ddd HH:mm", UiLanguages.ChineseCulture);
    private static readonly LocalDatePattern ChineseDay = LocalDatePattern.Create("yyyy'年'M'月'd'日' dddd", UiLanguages.ChineseCulture);
    private static readonly LocalTimePattern Time = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    private static LocalDateTimePattern DayTime => UiLanguages.Current == UiLanguages.Chinese ? ChineseDayTime : EnglishDayTime;

    private static LocalDatePattern Day => UiLanguages.Current == UiLanguages.Chinese ? ChineseDay : EnglishDay;

    /// <summary>The kinds in legend order, each with a text code so the legend does not rely on colour alone.</summary>
    public static IReadOnlyList<(string Kind, string Label, string Code)> Kinds =>
    [
        ("meeting", KindLabel("meeting"), "M"),
        ("site-visit", KindLabel("site-visit"), "V"),
        ("reception", KindLabel("reception"), "R"),
        ("briefing", KindLabel("briefing"), "B"),
        ("press", KindLabel("press"), "P"),
        ("travel", KindLabel("travel"), "T"),
    ];

    /// <summary>"Chinese–English" for "en-zh": the pair as people read it (the stored text when it is not a pair).</summary>
    public static string LanguagePair(string pair) =>
        CommissionPlanner.Domain.Languages.LanguagePair.TryParse(pair, out var parsed)
            ? $"{CommissionPlanner.Domain.Languages.LanguageTags.DisplayName(parsed.First)}–{CommissionPlanner.Domain.Languages.LanguageTags.DisplayName(parsed.Second)}"
            : pair;

    public static string KindLabel(string kind) => kind switch
    {
        "meeting" => L["Meeting"],
        "site-visit" => L["Site visit"],
        "reception" => L["Reception"],
        "briefing" => L["Briefing"],
        "press" => L["Press"],
        "travel" => L["Travel"],
        _ => kind,
    };

    public static string KindCode(string kind) => kind switch
    {
        "meeting" => "M",
        "site-visit" => "V",
        "reception" => "R",
        "briefing" => "B",
        "press" => "P",
        "travel" => "T",
        _ => "?",
    };

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

    /// <summary>An engagement's title in the reader's language: its Chinese title on a Chinese page when it has one.</summary>
    public static string TitleOf(EngagementResource engagement)
    {
        ArgumentNullException.ThrowIfNull(engagement);
        return InReadersLanguage(engagement.Title, engagement.TitleZh);
    }

    /// <summary>The Chinese text on a Chinese page when there is one, else the English.</summary>
    private static string InReadersLanguage(string english, string? chinese) =>
        UiLanguages.Current == UiLanguages.Chinese && !string.IsNullOrWhiteSpace(chinese) ? chinese : english;

    /// <summary>A programme's name in the reader's language: its Chinese name on a Chinese page when it has one.</summary>
    public static string NameOf(ProgrammeResource programme)
    {
        ArgumentNullException.ThrowIfNull(programme);
        return InReadersLanguage(programme.Name, programme.NameZh);
    }

    /// <inheritdoc cref="TitleOf(EngagementResource)"/>
    public static string TitleOf(ItineraryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return InReadersLanguage(entry.Title, entry.TitleZh);
    }

    /// <summary>
    /// A wire value as people read it, in their language: replies, attendance, statuses, reviews, room types, travel modes,
    /// import outcomes. A value not listed (new in the contract) is shown as its words.
    /// </summary>
    public static string Words(string wire) => wire switch
    {
        "needs-action" => L["needs action"],
        "accepted" => L["accepted"],
        "declined" => L["declined"],
        "tentative" => L["tentative"],
        "attending" => L["attending"],
        "waiting" => L["waiting"],
        "not-attending" => L["not attending"],
        "confirmed" => L["confirmed"],
        "cancelled" => L["cancelled"],
        "not-required" => L["not required"],
        "required" => L["required"],
        "approved" => L["approved"],
        "rejected" => L["rejected"],
        "single" => L["single"],
        "double" => L["double"],
        "twin" => L["twin"],
        "suite" => L["suite"],
        "flight" => L["flight"],
        "train" => L["train"],
        "car" => L["car"],
        "created" => L["created"],
        "updated" => L["updated"],
        "unchanged" => L["unchanged"],
        "refused" => L["refused"],
        "head" => L["head"],
        "member" => L["member"],
        "support" => L["support"],
        "chair" => L["chair"],
        "optional" => L["optional"],
        "interpreter" => L["interpreter"],
        _ => wire.Replace('-', ' '),
    };
}
