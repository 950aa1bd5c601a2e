namespace CommissionPlanner.Domain;

/// <summary>
/// When an engagement needs a research-security review: collaboration outside the programme's agreed
/// areas "poses more risk", and so does a venue marked sensitive.
/// </summary>
public static class ReviewRules
{
    /// <summary>True when any engagement area is not one of the agreed areas (exact slug match), or the venue is sensitive.</summary>
    public static bool IsRequired(IEnumerable<string> engagementAreas, IEnumerable<string> agreedAreas, bool venueSensitive)
    {
        ArgumentNullException.ThrowIfNull(engagementAreas);
        ArgumentNullException.ThrowIfNull(agreedAreas);
        return venueSensitive || AreasOutsideAgreed(engagementAreas, agreedAreas).Count > 0;
    }

    /// <summary>The engagement's areas that are not agreed, in their order, without repeats: for the reviewer's summary.</summary>
    public static IReadOnlyList<string> AreasOutsideAgreed(IEnumerable<string> engagementAreas, IEnumerable<string> agreedAreas)
    {
        ArgumentNullException.ThrowIfNull(engagementAreas);
        ArgumentNullException.ThrowIfNull(agreedAreas);

        var agreed = agreedAreas.ToHashSet(StringComparer.Ordinal);
        return [.. engagementAreas.Where(a => !agreed.Contains(a)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The status for an engagement whose areas, venue or host have just been set or changed: any earlier decision no longer applies.</summary>
    public static ReviewStatus StatusAfterChange(bool required) =>
        required ? ReviewStatus.Required : ReviewStatus.NotRequired;

    /// <summary>An engagement may be confirmed only when no review is needed or the review approved it.</summary>
    public static bool AllowsConfirmation(ReviewStatus status) =>
        status is ReviewStatus.NotRequired or ReviewStatus.Approved;
}
