using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net;
using NodaTime;
using Duration = NodaTime.Duration;

namespace CommissionPlanner.Calendar;

/// <summary>
/// VTIMEZONE components from tzdb (NodaTime) data, built as Ical.Net <see cref="VTimeZone"/> objects.
/// Ical.Net 5.2.4's own <c>VTimeZone.FromDateTimeZone</c> is not used on purpose: its range ends at
/// <c>DateTimeOffset.Now</c> (so output changes with today's date), it invents a yearly RRULE for
/// one-off transitions (Asia/Shanghai came out as a "3rd Sunday of September, +0900 → +0800" rule
/// recurring forever from 1991), it guesses "last weekday of the month" from "4th or later", and for zones
/// without transitions in range it takes the zone's minimum offset, which is not the offset in force
/// (TimeZoneTests shows each). Here every transition from the one before the calendar's earliest event to the end
/// of the year after its latest is taken from tzdb, grouped into STANDARD/DAYLIGHT observances, and given a yearly
/// RRULE only when the rule is verified to reproduce every transition (open-ended only when tzdb goes on
/// following it), else explicit RDATEs.
/// </summary>
internal static class TimeZoneComponents
{
    private static readonly LocalDateTime NoTransitionStart = new(1970, 1, 1, 0, 0);

    /// <summary>The last instant the range may reach: NodaTime's (and DateTime's) last year.</summary>
    private static readonly Instant LastRangeEnd = Instant.FromUtc(9999, 12, 31, 0, 0);

    internal sealed record Transition(Instant At, Offset From, Offset To, string Name, bool Daylight)
    {
        /// <summary>The wall-clock time of the transition in the offset before it (what DTSTART/RDATE hold).</summary>
        public LocalDateTime LocalStart => At.WithOffset(From).LocalDateTime;
    }

    /// <summary>
    /// One STANDARD or DAYLIGHT sub-component: its first onset (local time in the offset before it), then
    /// either a yearly rule or the further onsets (RDATEs).
    /// </summary>
    internal sealed record Observance(
        bool Daylight, string Name, Offset From, Offset To, LocalDateTime Start, YearlyRule? Rule, IReadOnlyList<LocalDateTime> Recurrences);

    /// <summary>FREQ=YEARLY;BYMONTH=Month;BYDAY=OrdinalDay, ordinal -1 for "last"; bounded by UNTIL when tzdb stops following it.</summary>
    internal sealed record YearlyRule(int Month, IsoDayOfWeek Day, int Ordinal, Instant? Until);

    /// <summary>
    /// What <see cref="Observances"/> depends on besides the zone: the start of the zone interval in force at the
    /// earliest event (or, before tzdb's first transition, which side of 1970 the event is) and the last year of the
    /// range. Two calendars with the same key get the same VTIMEZONE, so it is serialized once.
    /// </summary>
    internal static (Instant Anchor, int EndYear) RangeKey(DateTimeZone zone, Instant earliest, Instant latest)
    {
        var anchor = zone.GetZoneInterval(earliest);
        var start = anchor.HasStart ? anchor.Start
            : earliest.InUtc().LocalDateTime < NoTransitionStart ? Instant.MinValue : Instant.MaxValue;
        return (start, RangeEnd(latest).InUtc().Year);
    }

    /// <summary>The VTIMEZONE of <paramref name="zone"/> for events between the two instants.</summary>
    public static VTimeZone Build(string tzId, DateTimeZone zone, Instant earliest, Instant latest)
    {
        var vtz = new VTimeZone { TzId = tzId };
        foreach (var observance in Observances(zone, earliest, latest))
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

    private static Instant RangeEnd(Instant latest)
    {
        var year = latest.InUtc().Year;
        return year >= 9998 ? LastRangeEnd : Instant.FromUtc(year + 2, 1, 1, 0, 0);
    }

    /// <summary>The observances of <paramref name="zone"/> over a range anchored to the events, in order of onset.</summary>
    internal static List<Observance> Observances(DateTimeZone zone, Instant earliest, Instant latest)
    {
        var observances = new List<Observance>();
        var anchor = zone.GetZoneInterval(earliest);
        var rangeStart = anchor.HasStart ? anchor.Start : earliest;
        var rangeEnd = RangeEnd(latest);
        var transitions = Transitions(zone, rangeStart, rangeEnd);

        if (!anchor.HasStart)
        {
            // The offset in force at the earliest event has held since the beginning of tzdb's time.
            var start = earliest.InUtc().LocalDateTime < NoTransitionStart
                ? new LocalDateTime(1601, 1, 1, 0, 0)
                : NoTransitionStart;
            observances.Add(new Observance(anchor.Savings != Offset.Zero, anchor.Name, anchor.WallOffset, anchor.WallOffset, start, null, []));
        }

        var groups = transitions
            .GroupBy(t => (t.Daylight, t.From, t.To, t.Name))
            .OrderBy(g => g.First().At);
        foreach (var group in groups)
        {
            var list = group.ToList();
            var first = list[0];
            var rule = list.Count >= 2 ? FindYearlyRule(zone, list) : null;
            var recurrences = rule is null ? list.Skip(1).Select(t => t.LocalStart).ToList() : [];
            observances.Add(new Observance(first.Daylight, first.Name, first.From, first.To, first.LocalStart, rule, recurrences));
        }

        return observances;
    }

    internal static List<Transition> Transitions(DateTimeZone zone, Instant from, Instant to)
    {
        var result = new List<Transition>();
        foreach (var interval in zone.GetZoneIntervals(new Interval(from, to)))
        {
            if (!interval.HasStart || interval.Start < from || interval.Start >= to)
            {
                continue;
            }

            var before = zone.GetUtcOffset(interval.Start - Duration.Epsilon);
            result.Add(new Transition(interval.Start, before, interval.WallOffset, interval.Name, interval.Savings != Offset.Zero));
        }

        return result;
    }

    /// <summary>
    /// A FREQ=YEARLY;BYMONTH=m;BYDAY=nDD rule that yields exactly these transitions (consecutive years,
    /// same month, weekday, ordinal or "last", and time), or null. Open-ended when tzdb keeps following the
    /// rule for the next two years, else bounded by UNTIL at the last transition.
    /// </summary>
    private static YearlyRule? FindYearlyRule(DateTimeZone zone, List<Transition> list)
    {
        var locals = list.Select(t => t.LocalStart).ToList();
        var head = locals[0];
        for (var i = 0; i < locals.Count; i++)
        {
            var l = locals[i];
            if (l.Year != head.Year + i || l.Month != head.Month || l.DayOfWeek != head.DayOfWeek || l.TimeOfDay != head.TimeOfDay)
            {
                return null;
            }
        }

        var candidates = new List<int>();
        if (locals.All(l => l.Day + 7 > l.Calendar.GetDaysInMonth(l.Year, l.Month)))
        {
            candidates.Add(-1);
        }

        var ordinal = ((head.Day - 1) / 7) + 1;
        if (ordinal <= 4 && locals.All(l => ((l.Day - 1) / 7) + 1 == ordinal))
        {
            candidates.Add(ordinal);
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        var last = list[^1];
        var chosen = candidates[0];
        var continues = false;
        foreach (var candidate in candidates)
        {
            if (Continues(zone, last, candidate))
            {
                chosen = candidate;
                continues = true;
                break;
            }
        }

        return new YearlyRule(head.Month, head.DayOfWeek, chosen, continues ? null : last.At);
    }

    private static bool Continues(DateTimeZone zone, Transition last, int ordinal)
    {
        var local = last.LocalStart;
        for (var year = local.Year + 1; year <= local.Year + 2; year++)
        {
            var date = NthWeekdayOfMonth(year, local.Month, local.DayOfWeek, ordinal);
            var at = (date + local.TimeOfDay).WithOffset(last.From).ToInstant();
            var interval = zone.GetZoneInterval(at);
            if (!interval.HasStart || interval.Start != at || interval.WallOffset != last.To
                || zone.GetUtcOffset(at - Duration.Epsilon) != last.From || interval.Name != last.Name
                || (interval.Savings != Offset.Zero) != last.Daylight)
            {
                return false;
            }
        }

        return true;
    }

    internal static LocalDate NthWeekdayOfMonth(int year, int month, IsoDayOfWeek day, int ordinal)
    {
        if (ordinal > 0)
        {
            var first = new LocalDate(year, month, 1);
            var date = first.DayOfWeek == day ? first : first.Next(day);
            return date.PlusWeeks(ordinal - 1);
        }

        var lastDay = new LocalDate(year, month, 1).PlusMonths(1).PlusDays(-1);
        return lastDay.DayOfWeek == day ? lastDay : lastDay.Previous(day);
    }
}
