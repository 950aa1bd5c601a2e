using System.Globalization;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace CommissionPlanner.Domain;

/// <summary>
/// Turns the local wall-clock times people plan in into instants, strictly: a local time that a
/// clock change skips or repeats is an error to show the user, never something to shift silently.
/// </summary>
public static class PlannedTime
{
    private static readonly LocalDateTimePattern MinutesPattern =
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");

    private static readonly LocalDateTimePattern SecondsPattern =
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFFF");

    private static readonly LocalTimePattern ClockPattern =
        LocalTimePattern.CreateWithInvariantCulture("HH':'mm");

    private static readonly OffsetPattern UtcOffsetPattern =
        OffsetPattern.CreateWithInvariantCulture("+HH:mm");

    /// <summary>True when <paramref name="zoneId"/> is an id the provider knows (e.g. "Asia/Shanghai").</summary>
    public static bool IsKnownZone(string zoneId, IDateTimeZoneProvider zones)
    {
        ArgumentNullException.ThrowIfNull(zones);
        return !string.IsNullOrWhiteSpace(zoneId) && zones.GetZoneOrNull(zoneId) is not null;
    }

    /// <summary>
    /// The instant at which <paramref name="local"/> happens in <paramref name="zoneId"/>, or an error
    /// when the zone is unknown or the local time does not occur exactly once there.
    /// </summary>
    public static TimeResolution Resolve(LocalDateTime local, string zoneId, IDateTimeZoneProvider zones)
    {
        ArgumentNullException.ThrowIfNull(zones);

        var zone = string.IsNullOrWhiteSpace(zoneId) ? null : zones.GetZoneOrNull(zoneId);
        if (zone is null)
        {
            return TimeResolution.Failure(
                $"'{zoneId}' is not a known time zone, so {FormatLocal(local)} cannot be placed in time. "
                + "Use an IANA time zone id such as 'Europe/London' or 'Asia/Shanghai'.");
        }

        var mapping = zone.MapLocal(local);
        return mapping.Count switch
        {
            1 => TimeResolution.Success(mapping.Single().ToInstant()),
            0 => TimeResolution.Failure(SkippedMessage(local, zone.Id, mapping)),
            _ => TimeResolution.Failure(RepeatedMessage(local, zone.Id, mapping)),
        };
    }

    /// <summary>"2026-03-29T01:30", with seconds only when there are any: the way users typed it.</summary>
    internal static string FormatLocal(LocalDateTime local) =>
        local.Second == 0 && local.NanosecondOfSecond == 0
            ? MinutesPattern.Format(local)
            : SecondsPattern.Format(local);

    private static string SkippedMessage(LocalDateTime local, string zoneId, ZoneLocalMapping mapping)
    {
        // In a gap, the early interval ends where the clocks jump and the late one starts where they land.
        var (jumpFrom, jumpTo, when) = Span(mapping.EarlyInterval.IsoLocalEnd, mapping.LateInterval.IsoLocalStart, local.Date);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{FormatLocal(local)} does not exist in {zoneId}: the clocks go forward from {jumpFrom} to {jumpTo}{when}. "
            + $"Choose a time before {jumpFrom} or from {jumpTo}.");
    }

    private static string RepeatedMessage(LocalDateTime local, string zoneId, ZoneLocalMapping mapping)
    {
        // In an overlap, the hour from the late interval's start to the early interval's end happens twice.
        var (repeatFrom, repeatTo, when) = Span(mapping.LateInterval.IsoLocalStart, mapping.EarlyInterval.IsoLocalEnd, local.Date);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{FormatLocal(local)} happens twice in {zoneId} because the clocks go back from {repeatTo} to {repeatFrom}{when} "
            + $"(first at UTC{UtcOffsetPattern.Format(mapping.EarlyInterval.WallOffset)}, then at UTC{UtcOffsetPattern.Format(mapping.LateInterval.WallOffset)}). "
            + $"Choose a time before {repeatFrom} or from {repeatTo}.");
    }

    /// <summary>
    /// The two ends of a clock change as "01:00" and "02:00" when both fall on the planned day, otherwise
    /// with full dates (Samoa skipped the whole of 30 December 2011).
    /// </summary>
    private static (string From, string To, string When) Span(LocalDateTime from, LocalDateTime to, LocalDate day) =>
        from.Date == day && to.Date == day
            ? (ClockPattern.Format(from.TimeOfDay), ClockPattern.Format(to.TimeOfDay), " that day")
            : (FormatLocal(from), FormatLocal(to), string.Empty);
}
