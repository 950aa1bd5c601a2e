namespace CommissionPlanner.Domain.Tests;

public class ReviewRulesTests
{
    private static readonly string[] AgreedAreas = ["climate-environment", "planetary-science-astronomy", "health", "agri-food"];

    [Fact]
    public void An_engagement_within_the_agreed_areas_at_an_ordinary_venue_needs_no_review() =>
        Assert.False(ReviewRules.IsRequired(["climate-environment", "health"], AgreedAreas, venueSensitive: false));

    [Fact]
    public void An_engagement_with_no_areas_at_an_ordinary_venue_needs_no_review() =>
        Assert.False(ReviewRules.IsRequired([], AgreedAreas, venueSensitive: false));

    [Fact]
    public void Any_area_outside_the_agreed_ones_needs_a_review()
    {
        Assert.True(ReviewRules.IsRequired(["climate-environment", "quantum-computing"], AgreedAreas, venueSensitive: false));
        Assert.Equal(["quantum-computing"], ReviewRules.AreasOutsideAgreed(["quantum-computing", "health", "quantum-computing"], AgreedAreas));
    }

    [Fact]
    public void A_sensitive_venue_needs_a_review_even_within_the_agreed_areas() =>
        Assert.True(ReviewRules.IsRequired(["climate-environment"], AgreedAreas, venueSensitive: true));

    [Fact]
    public void With_no_agreed_areas_every_area_needs_a_review() =>
        Assert.True(ReviewRules.IsRequired(["health"], [], venueSensitive: false));

    [Theory]
    [InlineData(ReviewStatus.NotRequired, true)]
    [InlineData(ReviewStatus.Approved, true)]
    [InlineData(ReviewStatus.Required, false)]
    [InlineData(ReviewStatus.Rejected, false)]
    public void Only_an_unneeded_or_approved_review_allows_confirmation(ReviewStatus status, bool allowed) =>
        Assert.Equal(allowed, ReviewRules.AllowsConfirmation(status));

    private static readonly Guid Venue = Guid.Parse("0191a2b3-0000-7000-8000-000000000001");
    private static readonly Guid OtherVenue = Guid.Parse("0191a2b3-0000-7000-8000-000000000002");

    private static ReviewedFacts Facts(string[] areas, bool sensitive = false, string? host = "Tsinghua", Guid? venue = null, string[]? agreed = null) =>
        ReviewedFacts.Of(areas, venue ?? Venue, venue ?? Venue, host, sensitive, agreed ?? AgreedAreas);

    [Fact]
    public void A_new_engagement_needs_a_review_only_when_its_facts_call_for_one()
    {
        Assert.Equal(ReviewStatus.Required, ReviewRules.Initial(Facts(["quantum-computing"])));
        Assert.Equal(ReviewStatus.Required, ReviewRules.Initial(Facts(["health"], sensitive: true)));
        Assert.Equal(ReviewStatus.NotRequired, ReviewRules.Initial(Facts(["health"])));
    }

    [Theory]
    [InlineData(ReviewStatus.Approved)]
    [InlineData(ReviewStatus.Rejected)]
    public void A_decision_stands_while_the_reviewed_facts_stand(ReviewStatus decision) =>
        Assert.Equal(decision, ReviewRules.Next(decision, true, Facts(["quantum-computing", "health"]), Facts(["health", "quantum-computing"])));

    [Theory]
    [InlineData(ReviewStatus.Approved)]
    [InlineData(ReviewStatus.Rejected)]
    public void A_decision_returns_to_required_when_the_facts_change_even_if_no_review_is_needed_any_more(ReviewStatus decision)
    {
        // The bug this guards: a rejected visit at a sensitive venue, the venue unflagged and the host changed, became
        // not-required and could be confirmed without a reviewer ever deciding again.
        var reviewed = Facts(["health"], sensitive: true);
        Assert.Equal(ReviewStatus.Required, ReviewRules.Next(decision, true, reviewed, Facts(["health"], sensitive: false)));
        Assert.Equal(ReviewStatus.Required, ReviewRules.Next(decision, true, reviewed, Facts(["health"], sensitive: true, host: "PKU")));
        Assert.Equal(ReviewStatus.Required, ReviewRules.Next(decision, true, reviewed, Facts(["health"], sensitive: true, venue: OtherVenue)));
        Assert.Equal(ReviewStatus.Required, ReviewRules.Next(decision, true, reviewed, Facts(["health", "agri-food"], sensitive: true)));
    }

    [Fact]
    public void Agreeing_an_area_the_engagement_does_not_touch_leaves_a_decision_alone()
    {
        var before = Facts(["quantum-computing"]);
        var after = Facts(["quantum-computing"], agreed: [.. AgreedAreas, "fusion"]);
        Assert.Equal(ReviewStatus.Rejected, ReviewRules.Next(ReviewStatus.Rejected, true, before, after));
    }

    [Fact]
    public void Agreeing_the_engagements_own_area_returns_a_decision_to_required()
    {
        var before = Facts(["quantum-computing"]);
        var after = Facts(["quantum-computing"], agreed: [.. AgreedAreas, "quantum-computing"]);
        Assert.Equal(ReviewStatus.Required, ReviewRules.Next(ReviewStatus.Approved, true, before, after));
    }

    [Fact]
    public void Without_a_decision_the_status_follows_the_facts()
    {
        Assert.Equal(ReviewStatus.NotRequired, ReviewRules.Next(ReviewStatus.Required, false, Facts(["health"], sensitive: true), Facts(["health"])));
        Assert.Equal(ReviewStatus.Required, ReviewRules.Next(ReviewStatus.NotRequired, false, Facts(["health"]), Facts(["health"], sensitive: true)));
        Assert.Equal(ReviewStatus.NotRequired, ReviewRules.Next(ReviewStatus.NotRequired, false, Facts(["health"]), Facts(["health"], host: "PKU")));
    }

    [Fact]
    public void Once_decided_a_reset_review_stays_required_through_further_changes_until_a_reviewer_decides_again()
    {
        // Rejected at a sensitive venue; the venue unflagged (back to required); then the host changed. Without the
        // memory of the decision the second change would make it not-required and the visit could be confirmed.
        var reset = ReviewRules.Next(ReviewStatus.Rejected, true, Facts(["health"], sensitive: true), Facts(["health"]));
        Assert.Equal(ReviewStatus.Required, reset);
        Assert.Equal(ReviewStatus.Required, ReviewRules.Next(reset, true, Facts(["health"]), Facts(["health"], host: "PKU")));
    }

    [Theory]
    [InlineData(ReviewStatus.NotRequired, EngagementStatus.Tentative, false)]
    [InlineData(ReviewStatus.Required, EngagementStatus.Cancelled, false)]
    [InlineData(ReviewStatus.Required, EngagementStatus.Tentative, true)]
    [InlineData(ReviewStatus.Rejected, EngagementStatus.Confirmed, true)]
    [InlineData(ReviewStatus.Approved, EngagementStatus.Confirmed, true)]
    public void A_reviewer_decides_only_a_review_that_is_needed(ReviewStatus current, EngagementStatus status, bool allowed) =>
        Assert.Equal(allowed, ReviewRules.ValidateDecision(current, status) is null);
}
