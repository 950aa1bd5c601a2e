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

    [Fact]
    public void A_change_resets_any_earlier_decision()
    {
        Assert.Equal(ReviewStatus.Required, ReviewRules.StatusAfterChange(required: true));
        Assert.Equal(ReviewStatus.NotRequired, ReviewRules.StatusAfterChange(required: false));
    }
}
