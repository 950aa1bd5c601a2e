using System.Globalization;
using NodaTime.Text;

namespace CommissionPlanner.Domain.Planning;

/// <summary>
/// The contract's time formats: local date-times without offset (<c>2025-11-11T10:00</c>, seconds optional),
/// dates (<c>2025-11-11</c>) and UTC instants (<c>2025-11-11T02:00:00Z</c>). Dates and local times are accepted
/// only from <see cref="MinYear"/> to <see cref="MaxYear"/>: a plan needs no other years, and every layer the
/// value passes through (time-zone ranges a year or two beyond the last event, calendar clients, .NET DateTime,
/// PostgreSQL) can represent these with room to spare. The year 9998 was accepted once, and its calendar failed.
/// </summary>
public static class WireTime
{
    private static readonly LocalDateTimePattern MinutesPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");
    private static readonly LocalDateTimePattern SecondsPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss");
    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;
    private static readonly InstantPattern InstantFormat = InstantPattern.General;

    /// <summary>The first year a date or local time may have.</summary>
    public const int MinYear = 1900;

    /// <summary>The last year a date or local time may have.</summary>
    public const int MaxYear = 2199;

    /// <summary>True when <paramref name="date"/> lies in <see cref="MinYear"/> … <see cref="MaxYear"/>.</summary>
    public static bool IsInRange(LocalDate date) => date.Year is >= MinYear and <= MaxYear;

    /// <summary>Parses a local date-time in the contract's format; false when malformed or outside the years allowed.</summary>
    public static bool TryParseLocal(string? text, out LocalDateTime value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        var result = trimmed.Length <= 16 ? MinutesPattern.Parse(trimmed) : SecondsPattern.Parse(trimmed);
        if (!result.Success)
        {
            return false;
        }

        value = result.Value;
        return IsInRange(value.Date);
    }

    /// <summary>Parses an ISO 8601 date; false when malformed or outside the years allowed.</summary>
    public static bool TryParseDate(string? text, out LocalDate value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var result = DatePattern.Parse(text.Trim());
        if (!result.Success)
        {
            return false;
        }

        value = result.Value;
        return IsInRange(value);
    }

    /// <summary>Minutes precision unless the time has seconds, as people write it.</summary>
    public static string FormatLocal(LocalDateTime value) =>
        value.Second == 0 && value.NanosecondOfSecond == 0 ? MinutesPattern.Format(value) : SecondsPattern.Format(value);

    public static string FormatDate(LocalDate value) => DatePattern.Format(value);

    public static string FormatInstant(Instant value) => InstantFormat.Format(value);

    public static string LocalFormatHint => $"an ISO 8601 local date-time without offset, e.g. 2025-11-11T10:00, in the years {MinYear} to {MaxYear}";

    public static string DateFormatHint => $"an ISO 8601 date, e.g. 2025-11-11, in the years {MinYear} to {MaxYear}";

    internal static string Describe(LocalDateTime value) => FormatLocal(value).ToString(CultureInfo.InvariantCulture);
}
