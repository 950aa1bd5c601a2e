namespace CommissionPlanner.Domain;

/// <summary>An attendee's reply to an invitation (the iCalendar PARTSTAT values the planner uses).</summary>
public enum Response
{
    NeedsAction,
    Accepted,
    Declined,
    Tentative,
}

/// <summary>The wire names of <see cref="Response"/>.</summary>
public static class Responses
{
    private static readonly WireNameMap<Response> Map = new(
        (Response.NeedsAction, "needs-action"),
        (Response.Accepted, "accepted"),
        (Response.Declined, "declined"),
        (Response.Tentative, "tentative"));

    /// <summary>Every wire name, in declaration order.</summary>
    public static IReadOnlyList<string> WireNames => Map.Names;

    /// <summary>Parses an exact, lower-case wire name; false for null, unknown or differently cased input.</summary>
    public static bool TryParse(string? wire, out Response value) => Map.TryParse(wire, out value);

    public static string ToWire(Response value) => Map.ToWire(value);
}
