namespace CommissionPlanner.Domain;

/// <summary>Where an engagement stands on the programme.</summary>
public enum EngagementStatus
{
    Tentative,
    Confirmed,
    Cancelled,
}

/// <summary>The wire names of <see cref="EngagementStatus"/>.</summary>
public static class EngagementStatuses
{
    private static readonly WireNameMap<EngagementStatus> Map = new(
        (EngagementStatus.Tentative, "tentative"),
        (EngagementStatus.Confirmed, "confirmed"),
        (EngagementStatus.Cancelled, "cancelled"));

    /// <summary>Every wire name, in declaration order.</summary>
    public static IReadOnlyList<string> WireNames => Map.Names;

    /// <summary>Parses an exact, lower-case wire name; false for null, unknown or differently cased input.</summary>
    public static bool TryParse(string? wire, out EngagementStatus value) => Map.TryParse(wire, out value);

    public static string ToWire(EngagementStatus value) => Map.ToWire(value);
}
