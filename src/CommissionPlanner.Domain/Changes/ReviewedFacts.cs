namespace CommissionPlanner.Domain;

/// <summary>
/// What a research-security reviewer looked at when deciding about an engagement: its areas, venues and host, whether
/// a venue is sensitive, and which of its areas lie outside the programme's agreed areas. A decision stands only as
/// long as these facts do; the programme's other agreed areas are not part of it (agreeing one more area that the
/// engagement does not touch changes nothing the reviewer saw).
/// </summary>
public sealed class ReviewedFacts
{
    private ReviewedFacts(
        IReadOnlyList<string> areas, Guid fromVenueId, Guid toVenueId, string? host, bool venueSensitive, IReadOnlyList<string> outside, bool required)
    {
        ReviewRequired = required;
        Areas = areas;
        FromVenueId = fromVenueId;
        ToVenueId = toVenueId;
        Host = host;
        VenueSensitive = venueSensitive;
        AreasOutsideAgreed = outside;
    }

    public IReadOnlyList<string> Areas { get; }

    public Guid FromVenueId { get; }

    public Guid ToVenueId { get; }

    public string? Host { get; }

    /// <summary>True when either venue (a travel leg has two) is marked sensitive.</summary>
    public bool VenueSensitive { get; }

    public IReadOnlyList<string> AreasOutsideAgreed { get; }

    /// <summary>Whether these facts call for a review at all (ReviewRules.IsRequired).</summary>
    public bool ReviewRequired { get; }

    public static ReviewedFacts Of(
        IEnumerable<string> areas, Guid fromVenueId, Guid toVenueId, string? host, bool venueSensitive, IEnumerable<string> agreedAreas)
    {
        ArgumentNullException.ThrowIfNull(areas);
        ArgumentNullException.ThrowIfNull(agreedAreas);
        IReadOnlyList<string> list = [.. areas];
        IReadOnlyList<string> agreed = [.. agreedAreas];
        return new ReviewedFacts(list, fromVenueId, toVenueId, host, venueSensitive, ReviewRules.AreasOutsideAgreed(list, agreed),
            ReviewRules.IsRequired(list, agreed, venueSensitive));
    }

    /// <summary>
    /// True when a reviewer would see the same thing: areas compared as sets (their order is presentation), host by
    /// exact text.
    /// </summary>
    public bool SameAs(ReviewedFacts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return FromVenueId == other.FromVenueId && ToVenueId == other.ToVenueId
            && string.Equals(Host, other.Host, StringComparison.Ordinal)
            && VenueSensitive == other.VenueSensitive
            && Areas.ToHashSet(StringComparer.Ordinal).SetEquals(other.Areas)
            && AreasOutsideAgreed.ToHashSet(StringComparer.Ordinal).SetEquals(other.AreasOutsideAgreed);
    }
}
