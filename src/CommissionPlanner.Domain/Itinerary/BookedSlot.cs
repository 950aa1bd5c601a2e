namespace CommissionPlanner.Domain;

/// <summary>
/// One engagement in a person's schedule, reduced to what clash detection needs. The interval is
/// half-open, [Start, End), so an engagement ending at 12:00 and one starting at 12:00 do not overlap.
/// For a travel leg <see cref="From"/> is the departure venue and <see cref="To"/> the arrival venue;
/// for every other kind both are the venue. <see cref="Mode"/> is a travel leg's mode (null for every other kind): flights
/// and trains are met by road transfers (connections, docs/travel-rule.md).
/// </summary>
public sealed record BookedSlot(
    Guid EngagementId,
    string Title,
    EngagementKind Kind,
    Instant Start,
    Instant End,
    Place From,
    Place To,
    TravelMode? Mode = null)
{
    /// <summary>A flight or train: it leaves at its own time, whoever is late.</summary>
    public bool IsScheduled => Kind == EngagementKind.Travel && Mode is TravelMode.Flight or TravelMode.Train;

    /// <summary>A road transfer (a travel leg by car): a pickup or drop-off when it meets a flight or train.</summary>
    public bool IsRoad => Kind == EngagementKind.Travel && Mode == TravelMode.Car;

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
