namespace CommissionPlanner.Domain;

/// <summary>A person's role on one engagement.</summary>
public enum AttendeeRole
{
    Chair,
    Required,
    Optional,
}

/// <summary>The wire names of <see cref="AttendeeRole"/>.</summary>
public static class AttendeeRoles
{
    private static readonly WireNameMap<AttendeeRole> Map = new(
        (AttendeeRole.Chair, "chair"),
        (AttendeeRole.Required, "required"),
        (AttendeeRole.Optional, "optional"));

    /// <summary>Every wire name, in declaration order.</summary>
    public static IReadOnlyList<string> WireNames => Map.Names;

    /// <summary>Parses an exact, lower-case wire name; false for null, unknown or differently cased input.</summary>
    public static bool TryParse(string? wire, out AttendeeRole value) => Map.TryParse(wire, out value);

    public static string ToWire(AttendeeRole value) => Map.ToWire(value);
}
