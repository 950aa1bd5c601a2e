namespace CommissionPlanner.Domain;

/// <summary>Whether an attendee has a place: <see cref="Waiting"/> means they accepted but the engagement is full.</summary>
public enum Attendance
{
    Attending,
    Waiting,
    NotAttending,
}

/// <summary>The wire names of <see cref="Attendance"/>.</summary>
public static class Attendances
{
    private static readonly WireNameMap<Attendance> Map = new(
        (Attendance.Attending, "attending"),
        (Attendance.Waiting, "waiting"),
        (Attendance.NotAttending, "not-attending"));

    /// <summary>Every wire name, in declaration order.</summary>
    public static IReadOnlyList<string> WireNames => Map.Names;

    /// <summary>Parses an exact, lower-case wire name; false for null, unknown or differently cased input.</summary>
    public static bool TryParse(string? wire, out Attendance value) => Map.TryParse(wire, out value);

    public static string ToWire(Attendance value) => Map.ToWire(value);
}
