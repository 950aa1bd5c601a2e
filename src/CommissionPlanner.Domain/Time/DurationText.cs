using System.Globalization;

namespace CommissionPlanner.Domain;

/// <summary>Durations as people read them in messages: "5h 23m", "45m", "3 days".</summary>
internal static class DurationText
{
    /// <summary>Hours and minutes, rounding partial minutes down (a gap of 59.9 minutes is not an hour).</summary>
    public static string HoursAndMinutes(Duration duration)
    {
        var totalMinutes = (long)Math.Floor(Math.Abs(duration.TotalMinutes));
        var hours = totalMinutes / 60;
        var minutes = totalMinutes % 60;
        return hours == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{minutes}m")
            : string.Create(CultureInfo.InvariantCulture, $"{hours}h {minutes}m");
    }
}
