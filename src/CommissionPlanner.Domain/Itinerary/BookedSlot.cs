namespace CommissionPlanner.Domain;

/// <summary>
/// One engagement in a person's schedule, reduced to what clash detection needs. The interval is
/// half-open, [Start, End), so an engagement ending at 12:00 and one starting at 12:00 do not overlap.
/// For a travel leg <see cref="From"/> is the departure venue and <see cref="To"/> the arrival venue;
/// for every other kind both are the venue.
/// </summary>
public sealed record BookedSlot(
    Guid EngagementId,
    string Title,
    EngagementKind Kind,
    Instant Start,
    Instant End,
    Place From,
    Place To)
{
    /// <summary>A non-travel engagement: the same place at both ends.</summary>
    public static BookedSlot AtVenue(Guid engagementId, string title, EngagementKind kind, Instant start, Instant end, Place venue) =>
        new(engagementId, title, kind, start, end, venue, venue);

    /// <summary>True when the two half-open intervals share at least one instant.</summary>
    public bool Overlaps(BookedSlot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Start < other.End && other.Start < End;
    }
}
