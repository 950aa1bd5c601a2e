namespace CommissionPlanner.Domain;

/// <summary>The research-security review of an engagement: required when it touches an area outside the programme's agreed areas or a sensitive venue.</summary>
public enum ReviewStatus
{
    NotRequired,
    Required,
    Approved,
    Rejected,
}

/// <summary>The wire names of <see cref="ReviewStatus"/>.</summary>
public static class ReviewStatuses
{
    private static readonly WireNameMap<ReviewStatus> Map = new(
        (ReviewStatus.NotRequired, "not-required"),
        (ReviewStatus.Required, "required"),
        (ReviewStatus.Approved, "approved"),
        (ReviewStatus.Rejected, "rejected"));

    /// <summary>Every wire name, in declaration order.</summary>
    public static IReadOnlyList<string> WireNames => Map.Names;

    /// <summary>Parses an exact, lower-case wire name; false for null, unknown or differently cased input.</summary>
    public static bool TryParse(string? wire, out ReviewStatus value) => Map.TryParse(wire, out value);

    public static string ToWire(ReviewStatus value) => Map.ToWire(value);
}
