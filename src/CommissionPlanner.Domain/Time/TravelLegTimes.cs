namespace CommissionPlanner.Domain;

/// <summary>Checks the departure and arrival of a travel leg.</summary>
public static class TravelLegTimes
{
    /// <summary>
    /// Null when the leg arrives after it departs. The two instants come from local times in two
    /// different zones, so the typical mistake (arriving "before" departing once both are in UTC)
    /// is a wrong date or zone, and the message says so.
    /// </summary>
    public static string? Validate(Instant departure, Instant arrival)
    {
        if (arrival > departure)
        {
            return null;
        }

        return arrival == departure
            ? "The travel leg arrives at the same moment it departs; the arrival must be after the departure. Check the arrival date and time zone."
            : $"The travel leg arrives {DurationText.HoursAndMinutes(departure - arrival)} before it departs once both times are converted to UTC; "
              + "the arrival must be after the departure. Check the arrival date and the time zones of both venues.";
    }
}
