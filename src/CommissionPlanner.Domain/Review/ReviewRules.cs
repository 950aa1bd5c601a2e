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

    /// <summary>The review status of a new engagement: required or not, from its facts alone.</summary>
    public static ReviewStatus Initial(ReviewedFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return facts.ReviewRequired ? ReviewStatus.Required : ReviewStatus.NotRequired;
    }

    /// <summary>
    /// The review status after anything the review depends on may have changed: the engagement's areas, venues or host,
    /// a venue's sensitivity, or the programme's agreed areas. A reviewer's decision (approved or rejected) stands while
    /// the facts they saw stand; once those facts change it returns to <see cref="ReviewStatus.Required"/>, and from then
    /// on only a reviewer can lift it: an engagement that was ever decided (<paramref name="everDecided"/>) never goes
    /// back to not-required by itself, so no edit can slip a rejected visit past review. Without any decision, the status
    /// follows the facts as they now are.
    /// </summary>
    public static ReviewStatus Next(ReviewStatus current, bool everDecided, ReviewedFacts before, ReviewedFacts after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var decided = everDecided || IsDecided(current);
        if (before.SameAs(after) && IsDecided(current))
        {
            return current;
        }

        return decided || after.ReviewRequired ? ReviewStatus.Required : ReviewStatus.NotRequired;
    }

    /// <summary>True for a reviewer's decision: approved or rejected.</summary>
    public static bool IsDecided(ReviewStatus status) => status is ReviewStatus.Approved or ReviewStatus.Rejected;

    /// <summary>
    /// True while a review stands in the way of confirmation (required, or rejected): feeds then show even a confirmed
    /// engagement as TENTATIVE.
    /// </summary>
    public static bool IsPending(ReviewStatus status) => !AllowsConfirmation(status);

    /// <summary>
    /// Null when a reviewer may decide (approve or reject) an engagement whose review is <paramref name="current"/>;
    /// otherwise the sentence that says why not. Deciding again (approved to rejected, say) is allowed.
    /// </summary>
    public static string? ValidateDecision(ReviewStatus current, EngagementStatus status)
    {
        if (current == ReviewStatus.NotRequired)
        {
            return "This engagement needs no research-security review: its areas are all agreed and its venue is not sensitive.";
        }

        return status == EngagementStatus.Cancelled ? "The engagement is cancelled; there is nothing to review." : null;
    }

    /// <summary>An engagement may be confirmed only when no review is needed or the review approved it.</summary>
    public static bool AllowsConfirmation(ReviewStatus status) =>
        status is ReviewStatus.NotRequired or ReviewStatus.Approved;
}
