namespace CommissionPlanner.Domain;

/// <summary>What an engagement is. <see cref="Travel"/> legs move people between venues; every other kind happens at one venue.</summary>
public enum EngagementKind
{
    Meeting,
    SiteVisit,
    Reception,
    Briefing,
    Press,
    Travel,
}

/// <summary>The wire names of <see cref="EngagementKind"/>.</summary>
public static class EngagementKinds
{
    private static readonly WireNameMap<EngagementKind> Map = new(
        (EngagementKind.Meeting, "meeting"),
        (EngagementKind.SiteVisit, "site-visit"),
        (EngagementKind.Reception, "reception"),
        (EngagementKind.Briefing, "briefing"),
        (EngagementKind.Press, "press"),
        (EngagementKind.Travel, "travel"));

    /// <summary>Every wire name, in declaration order.</summary>
    public static IReadOnlyList<string> WireNames => Map.Names;

    /// <summary>Parses an exact, lower-case wire name; false for null, unknown or differently cased input.</summary>
    public static bool TryParse(string? wire, out EngagementKind value) => Map.TryParse(wire, out value);

    public static string ToWire(EngagementKind value) => Map.ToWire(value);
}
