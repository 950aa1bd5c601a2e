using System.Globalization;

namespace CommissionPlanner.Domain;

/// <summary>Checks the start and end of an engagement that happens at one venue.</summary>
public static class EngagementTimes
{
    /// <summary>Longer than this is far more likely a mistyped date than a real engagement.</summary>
    public static readonly Duration MaximumLength = Duration.FromDays(14);

    /// <summary>Null when the times are acceptable, otherwise a sentence saying what to fix.</summary>
    public static string? Validate(Instant start, Instant end)
    {
        if (end <= start)
        {
            return end == start
                ? "The engagement ends at the moment it starts; the end must be after the start."
                : $"The engagement ends {DurationText.HoursAndMinutes(start - end)} before it starts; the end must be after the start.";
        }

        var length = end - start;
        if (length > MaximumLength)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"The engagement would last {length.TotalDays:0.#} days, longer than the {MaximumLength.Days}-day limit; check the start and end dates.");
        }

        return null;
    }
}
