using System.Globalization;
using System.Net;
using System.Text;
using CommissionPlanner.Web.Planning;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;
using NodaTime;

namespace CommissionPlanner.Web.Ui;

/// <summary>
/// The programme overview as SVG: one section per day, a lane per city, each engagement placed at its venue's local time,
/// travel legs drawn from the departure city's lane to the arrival city's. Kinds have a colour and a letter (the legend
/// names both); cancelled engagements are struck through, clashes and review-required ones outlined and marked. The
/// tooltip (<c>&lt;title&gt;</c>) gives the local time with its zone, UTC, and the delegation's home time.
/// </summary>
internal static class Timeline
{
    private static readonly IStringLocalizer L = Localised.For(typeof(Timeline));

    private const int Width = 960;
    private const int LabelWidth = 140;
    private const int LaneHeight = 54;

    /// <summary>Each further row of a lane, for an engagement overlapping another in the same city.</summary>
    private const int RowHeight = 46;
    private const int Header = 26;

    public static string Colour(string kind) => kind switch
    {
        "meeting" => "#1f4e79",
        "site-visit" => "#2d6630",
        "reception" => "#7a2f66",
        "briefing" => "#5c4b00",
        "press" => "#8a3510",
        _ => "#3d3d3d",
    };

    public static IHtmlContent Render(
        IReadOnlyList<EngagementResource> engagements, IReadOnlySet<Guid> clashing, string? homeZone, string? homeLabel)
    {
        ArgumentNullException.ThrowIfNull(engagements);
        ArgumentNullException.ThrowIfNull(clashing);
        if (engagements.Count == 0)
        {
            return new HtmlString($"<p>{Encode(L["No engagements yet."])}</p>");
        }

        var cities = new List<string>();
        foreach (var e in engagements)
        {
            foreach (var city in e.ToVenue is null ? new[] { e.Venue.City } : [e.Venue.City, e.ToVenue.City])
            {
                if (!cities.Contains(city, StringComparer.Ordinal))
                {
                    cities.Add(city);
                }
            }
        }

        var html = new StringBuilder();
        foreach (var day in engagements.GroupBy(e => Display.Local(e.Start).Date).OrderBy(g => g.Key))
        {
            var dayId = "day-" + day.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"timeline-day\" aria-labelledby=\"{dayId}\">");
            html.Append(CultureInfo.InvariantCulture, $"<h3 id=\"{dayId}\">{Encode(Display.LongDay(day.Key))}</h3>");
            html.Append(Day([.. day], cities, clashing, homeZone, homeLabel, dayId));
            html.Append("</section>");
        }

        return new HtmlString(html.ToString());
    }

    private static string Day(
        List<EngagementResource> items, List<string> cities, IReadOnlySet<Guid> clashing, string? homeZone, string? homeLabel, string dayId)
    {
        var first = items.Min(e => Display.Local(e.Start).TimeOfDay.Hour);
        var last = items.Max(e => EndMinutes(e)) / 60.0;
        var startHour = Math.Max(0, Math.Min(first, 8));
        var endHour = Math.Min(24, Math.Max((int)Math.Ceiling(last), 20));
        var span = (endHour - startHour) * 60.0;
        double X(int minutes) => LabelWidth + ((minutes - (startHour * 60)) / span * (Width - LabelWidth - 10));

        // Engagements that overlap in one city are drawn side by side: each lane has as many rows as it needs (LaneRows),
        // and a lane's height grows with them. Travel legs are lines between lanes and take no row.
        var rowOf = new Dictionary<Guid, int>();
        var rowsIn = new int[cities.Count];
        foreach (var (city, index) in cities.Select((c, i) => (c, i)))
        {
            var boxes = items.Where(e => !(e.IsTravel() && e.ToVenue is not null) && e.Venue.City == city)
                .Select(e => (e.Id, Start: Minutes(Display.Local(e.Start).TimeOfDay), End: Math.Max(EndMinutes(e), Minutes(Display.Local(e.Start).TimeOfDay) + 1)))
                .ToList();
            var rows = LaneRows.Assign(boxes.Select(b => (b.Start, b.End)).ToList());
            for (var b = 0; b < boxes.Count; b++)
            {
                rowOf[boxes[b].Id] = rows[b];
            }

            rowsIn[index] = Math.Max(1, rows.Count == 0 ? 1 : rows.Max() + 1);
        }

        var laneTop = new double[cities.Count + 1];
        laneTop[0] = Header;
        for (var i = 0; i < cities.Count; i++)
        {
            laneTop[i + 1] = laneTop[i] + LaneHeight + ((rowsIn[i] - 1) * RowHeight);
        }

        double LaneMiddle(int lane) => (laneTop[lane] + laneTop[lane + 1]) / 2;

        var height = laneTop[cities.Count] + 6;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"timeline\" viewBox=\"0 0 {Width} {height}\" width=\"100%\" role=\"group\" aria-labelledby=\"{dayId}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append("<defs><marker id=\"arrow-" + dayId + "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#3d3d3d\"/></marker></defs>");
        for (var i = 0; i < cities.Count; i++)
        {
            var y = laneTop[i];
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"0\" y=\"{F(y)}\" width=\"{Width}\" height=\"{F(laneTop[i + 1] - y)}\" fill=\"{(i % 2 == 0 ? "#f4f6f8" : "#ffffff")}\"/>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"8\" y=\"{F(LaneMiddle(i) + 5)}\" class=\"lane-label\" font-size=\"14\" font-weight=\"bold\" fill=\"#1a1a1a\">{Encode(cities[i])}</text>");
        }

        for (var h = startHour; h <= endHour; h++)
        {
            var x = X(h * 60);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" y1=\"{Header - 4}\" x2=\"{F(x)}\" y2=\"{height}\" stroke=\"#c8ced6\" stroke-width=\"1\"/>");
            if ((h - startHour) % 2 == 0)
            {
                svg.Append(CultureInfo.InvariantCulture,
                    $"<text x=\"{F(x)}\" y=\"16\" font-size=\"12\" text-anchor=\"middle\" fill=\"#333\">{h:00}:00</text>");
            }
        }

        foreach (var e in items)
        {
            var startMin = Minutes(Display.Local(e.Start).TimeOfDay);
            var endMin = EndMinutes(e);
            var lane = cities.IndexOf(e.Venue.City);
            var cancelled = e.IsCancelled();
            var clash = clashing.Contains(e.Id);
            var review = e.NeedsReview();
            var classes = new List<string> { "engagement", "kind-" + e.Kind };
            if (cancelled)
            {
                classes.Add("cancelled");
            }

            if (clash)
            {
                classes.Add("clash");
            }

            if (review)
            {
                classes.Add("review-required");
            }

            var marks = (clash ? "⚠ " : string.Empty) + (review ? "◆ " : string.Empty);
            var label = $"{Display.KindCode(e.Kind)} · {marks}{Display.TitleOf(e)}";
            var title = Tooltip(e, clash, review, homeZone, homeLabel);
            // The name begins with the label the box shows (cut short there at a word: Truncate), so that someone who says
            // or reads what they see finds the link by it (WCAG 2.5.3, axe's label-content-name-mismatch), and goes on
            // with the times and places.
            svg.Append(CultureInfo.InvariantCulture,
                $"<a href=\"/engagements/{e.Id}\" class=\"{string.Join(' ', classes)}\" aria-label=\"{Encode(label + " — " + title)}\" lang=\"{Display.LangOf(Display.TitleOf(e))}\" data-engagement=\"{e.Id}\">");
            svg.Append(CultureInfo.InvariantCulture, $"<title>{Encode(title)}</title>");
            if (e.IsTravel() && e.ToVenue is not null)
            {
                var toLane = cities.IndexOf(e.ToVenue.City);
                var x1 = X(startMin);
                var x2 = Math.Max(X(endMin), x1 + 8);
                var y1 = LaneMiddle(lane);
                var y2 = LaneMiddle(toLane);
                svg.Append(CultureInfo.InvariantCulture,
                    $"<line x1=\"{F(x1)}\" y1=\"{F(y1)}\" x2=\"{F(x2)}\" y2=\"{F(y2)}\" stroke=\"{(clash ? "#b00020" : "#3d3d3d")}\" stroke-width=\"{(clash ? 4 : 3)}\" stroke-dasharray=\"8 4\" marker-end=\"url(#arrow-{dayId})\"/>");
                svg.Append(CultureInfo.InvariantCulture,
                    $"<circle cx=\"{F(x1)}\" cy=\"{F(y1)}\" r=\"5\" fill=\"#3d3d3d\"/>");
                svg.Append(CultureInfo.InvariantCulture,
                    $"<text x=\"{F((x1 + x2) / 2)}\" y=\"{F(((y1 + y2) / 2) - 6)}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1a1a1a\" class=\"{(cancelled ? "struck" : string.Empty)}\" text-decoration=\"{(cancelled ? "line-through" : "none")}\">{Encode(Truncate(label, 40))}</text>");
            }
            else
            {
                var x = X(startMin);
                var w = Math.Max(X(endMin) - x, 6);
                var y = laneTop[lane] + 6 + (rowOf.GetValueOrDefault(e.Id) * RowHeight);
                var h = LaneHeight - 12;
                var fill = cancelled ? "#ffffff" : Colour(e.Kind);
                var textFill = cancelled ? "#555555" : "#ffffff";
                var stroke = clash ? "#b00020" : review ? "#8a6d00" : Colour(e.Kind);
                var strokeWidth = clash || review ? 4 : 1.5;
                var dash = clash ? " stroke-dasharray=\"6 3\"" : review ? " stroke-dasharray=\"2 3\"" : string.Empty;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(w)}\" height=\"{h}\" rx=\"4\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{F(strokeWidth)}\"{dash}/>");
                var chars = (int)(w / 7);
                if (chars >= 2)
                {
                    svg.Append(CultureInfo.InvariantCulture,
                        $"<text x=\"{F(x + 5)}\" y=\"{F(y + (h / 2) + 4)}\" font-size=\"12\" fill=\"{textFill}\" text-decoration=\"{(cancelled ? "line-through" : "none")}\">{Encode(Truncate(label, chars))}</text>");
                }

                if (cancelled)
                {
                    svg.Append(CultureInfo.InvariantCulture,
                        $"<line x1=\"{F(x)}\" y1=\"{F(y + h)}\" x2=\"{F(x + w)}\" y2=\"{F(y)}\" stroke=\"#555555\" stroke-width=\"1.5\"/>");
                }
            }

            svg.Append("</a>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    public static string Tooltip(EngagementResource e, bool clash, bool review, string? homeZone, string? homeLabel)
    {
        ArgumentNullException.ThrowIfNull(e);
        // Sentences in the reader's language, joined as it joins them (". " in English, "。" in Chinese).
        var sentences = new List<string>
        {
            e.IsCancelled() ? L["{0}: {1} (cancelled)", Display.KindLabel(e.Kind), Display.TitleOf(e)] : L["{0}: {1}", Display.KindLabel(e.Kind), Display.TitleOf(e)],
            L["{0} to {1}", Display.WithZone(e.Start, e.TimeZone), Display.WithZone(e.End, e.EndTimeZone)],
            L["UTC {0} to {1}", Display.UtcText(e.StartUtc), Display.UtcText(e.EndUtc)],
        };
        if (homeZone is not null)
        {
            sentences.Add(homeLabel is null
                ? L["Home time: {0} to {1}", Display.InZone(e.StartUtc, homeZone), Display.InZone(e.EndUtc, homeZone)]
                : L["Home time ({0}): {1} to {2}", homeLabel, Display.InZone(e.StartUtc, homeZone), Display.InZone(e.EndUtc, homeZone)]);
        }

        sentences.Add(e.ToVenue is null
            ? L["{0}, {1}", e.Venue.Name, e.Venue.City]
            : L["{0}, {1} to {2}, {3}", e.Venue.Name, e.Venue.City, e.ToVenue.Name, e.ToVenue.City]);
        if (clash)
        {
            sentences.Add(L["Clash: someone attending is double-booked or cannot travel in time"]);
        }

        if (review)
        {
            sentences.Add(L["Research-security review required"]);
        }

        return string.Join(L[". "].Value, sentences);
    }

    private static int Minutes(LocalTime time) => (time.Hour * 60) + time.Minute;

    /// <summary>End in minutes from the start day's midnight, capped at the day's end (a leg arriving after midnight is drawn to 24:00).</summary>
    private static int EndMinutes(EngagementResource e)
    {
        var start = Display.Local(e.Start);
        var end = Display.Local(e.End);
        if (e.EndTimeZone != e.TimeZone)
        {
            // A travel leg: place the arrival on the departure lane's clock, so the line runs forward in time.
            var departureZone = DateTimeZoneProviders.Tzdb[e.TimeZone];
            end = Display.Utc(e.EndUtc).InZone(departureZone).LocalDateTime;
        }

        return end.Date > start.Date ? 24 * 60 : Math.Max(Minutes(end.TimeOfDay), Minutes(start.TimeOfDay));
    }

    /// <summary>
    /// The text cut to <paramref name="max"/> characters at a word, with "…": a word cut in two would not be a word of the
    /// link's name, which assistive technology and speech input match on (see the aria-label above).
    /// </summary>
    internal static string Truncate(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = text[..Math.Max(1, max - 1)];
        var space = cut.LastIndexOf(' ');
        return (space > 0 ? cut[..space].TrimEnd(' ', '·', ':', ',') : cut) + "…";
    }

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}

/// <summary>
/// Rows for the boxes of one timeline lane, so that overlapping engagements sit side by side instead of on top of each
/// other: each box goes in the first row that is free at its start (interval partitioning, in start order), which uses
/// as few rows as the most engagements at once.
/// </summary>
public static class LaneRows
{
    /// <returns>The row of each box, in the order given.</returns>
    public static IReadOnlyList<int> Assign(IReadOnlyList<(int Start, int End)> boxes)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        var rows = new int[boxes.Count];
        var rowEnds = new List<int>();
        foreach (var index in Enumerable.Range(0, boxes.Count).OrderBy(i => boxes[i].Start).ThenBy(i => boxes[i].End))
        {
            var (start, end) = boxes[index];
            var row = rowEnds.FindIndex(rowEnd => rowEnd <= start);
            if (row < 0)
            {
                row = rowEnds.Count;
                rowEnds.Add(end);
            }
            else
            {
                rowEnds[row] = end;
            }

            rows[index] = row;
        }

        return rows;
    }
}
