namespace CommissionPlanner.Domain;

/// <summary>
/// A reason one person cannot attend two engagements as booked. <see cref="Detail"/> is a sentence
/// for the user naming both engagements. <see cref="MinutesShort"/>: for a travel clash, how many minutes more the gap
/// needs. <see cref="TimesOverlap"/>: the two engagements' times overlap (every overlap, and a connection missed by more
/// than the gap), so that both cannot hold the person's time in the database's no-overlap guard.
/// </summary>
/// <remarks>Equality compares kind, ids and detail: the two properties follow from the same engagements' times.</remarks>
public sealed record Clash(ClashKind Kind, IReadOnlyList<Guid> EngagementIds, string Detail)
{
    public int? MinutesShort { get; init; }

    public bool TimesOverlap { get; init; }

    // Records compare lists by reference; comparing the ids makes two computations of the same clash equal.
    public bool Equals(Clash? other) =>
        other is not null
        && Kind == other.Kind
        && Detail == other.Detail
        && EngagementIds.SequenceEqual(other.EngagementIds);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Kind);
        hash.Add(Detail, StringComparer.Ordinal);
        foreach (var id in EngagementIds)
        {
            hash.Add(id);
        }

        return hash.ToHashCode();
    }
}
