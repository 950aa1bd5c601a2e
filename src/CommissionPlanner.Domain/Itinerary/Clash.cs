namespace CommissionPlanner.Domain;

/// <summary>
/// A reason one person cannot attend two engagements as booked. <see cref="Detail"/> is a sentence
/// for the user naming both engagements.
/// </summary>
public sealed record Clash(ClashKind Kind, IReadOnlyList<Guid> EngagementIds, string Detail)
{
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
