namespace CommissionPlanner.Domain.Tests;

public class EngagementChangeTests
{
    private static readonly string[] Agreed = ["climate-environment", "health"];
    private static readonly Guid Venue = Guid.Parse("0191a2b3-0000-7000-8000-0000000000aa");

    private static ReviewedFacts Facts(bool sensitive = false, string host = "Tsinghua") =>
        ReviewedFacts.Of(["health"], Venue, Venue, host, sensitive, Agreed);

    private static AttendeeReply Reply(int n, Response response, long order = 0) =>
        new(Guid.Parse($"0191a2b3-0000-7000-8000-{n:D12}"), response, order);

    private static EngagementChange Unchanged(EngagementStatus status = EngagementStatus.Tentative, ReviewStatus review = ReviewStatus.NotRequired) => new()
    {
        StatusBefore = status, StatusAfter = status, Review = review, FactsBefore = Facts(), FactsAfter = Facts(),
    };

    [Fact]
    public void Nothing_changed_decides_nothing()
    {
        var decision = Unchanged().Decide();
        Assert.False(decision.ChangesEngagement);
        Assert.False(decision.RecheckBookings);
        Assert.Null(decision.Refusal);
        Assert.Empty(decision.Promoted);
    }

    [Fact]
    public void A_move_raises_sequence_and_rechecks_bookings_unless_cancelled()
    {
        var moved = Unchanged() with { TimeOrPlaceChanged = true };
        Assert.True(moved.Decide().SequenceUp);
        Assert.True(moved.Decide().RecheckBookings);
        Assert.False((moved with { StatusBefore = EngagementStatus.Cancelled, StatusAfter = EngagementStatus.Cancelled }).Decide().RecheckBookings);
    }

    [Fact]
    public void A_venue_renamed_or_readdressed_raises_sequence_but_rechecks_no_booking()
    {
        var decision = (Unchanged() with { VenueDetailsChanged = true }).Decide();
        Assert.True(decision.SequenceUp);
        Assert.False(decision.RecheckBookings);
    }

    [Fact]
    public void A_confirmed_engagement_whose_venue_turns_sensitive_shows_tentative_so_sequence_goes_up()
    {
        var decision = (Unchanged(EngagementStatus.Confirmed) with { FactsAfter = Facts(sensitive: true) }).Decide();
        Assert.Equal(ReviewStatus.Required, decision.Review);
        Assert.True(decision.SequenceUp);
    }

    [Fact]
    public void A_tentative_engagement_needing_review_shows_tentative_either_way_so_sequence_stays()
    {
        var decision = (Unchanged() with { FactsAfter = Facts(sensitive: true) }).Decide();
        Assert.True(decision.ReviewChanged);
        Assert.False(decision.SequenceUp);
        Assert.Equal(ReviewStatus.Required, decision.Review);
    }

    [Fact]
    public void A_rejection_is_reset_to_required_when_the_host_changes()
    {
        var decision = (Unchanged(review: ReviewStatus.Rejected) with { EverDecided = true, FactsBefore = Facts(sensitive: true), FactsAfter = Facts(host: "PKU") }).Decide();
        Assert.Equal(ReviewStatus.Required, decision.Review);
        Assert.True(decision.ReviewChanged);
    }

    [Fact]
    public void Confirming_and_cancelling_raise_sequence()
    {
        Assert.True((Unchanged() with { StatusAfter = EngagementStatus.Confirmed }).Decide().SequenceUp);
        Assert.True((Unchanged() with { StatusAfter = EngagementStatus.Cancelled }).Decide().SequenceUp);
    }

    [Fact]
    public void Lowering_the_effective_capacity_below_the_people_attending_is_refused_with_both_numbers()
    {
        var change = Unchanged() with
        {
            CapacityBefore = 10, CapacityAfter = 1,
            Replies = [Reply(1, Response.Accepted, 1), Reply(2, Response.Accepted, 2), Reply(3, Response.Declined)],
        };
        var refusal = change.Decide().Refusal;
        Assert.NotNull(refusal);
        Assert.Equal(1, refusal.Capacity);
        Assert.Equal(2, refusal.Attending);
    }

    [Fact]
    public void Removing_a_limit_in_favour_of_a_smaller_venue_capacity_is_a_lowering_too()
    {
        var change = Unchanged() with { CapacityBefore = null, CapacityAfter = 1, Replies = [Reply(1, Response.Accepted, 1), Reply(2, Response.Accepted, 2)] };
        Assert.NotNull(change.Decide().Refusal);
    }

    [Fact]
    public void A_cancelled_engagement_has_no_capacity_to_defend()
    {
        var change = Unchanged(EngagementStatus.Cancelled) with { CapacityBefore = 5, CapacityAfter = 1, Replies = [Reply(1, Response.Accepted, 1), Reply(2, Response.Accepted, 2)] };
        Assert.Null(change.Decide().Refusal);
    }

    [Fact]
    public void Raising_the_capacity_promotes_the_waiting_in_the_order_they_accepted()
    {
        var change = Unchanged() with
        {
            CapacityBefore = 1, CapacityAfter = 3,
            Replies = [Reply(1, Response.Accepted, 1), Reply(3, Response.Accepted, 3), Reply(2, Response.Accepted, 2), Reply(4, Response.Accepted, 4)],
        };
        var decision = change.Decide();
        Assert.Equal([Reply(2, Response.Accepted).PersonId, Reply(3, Response.Accepted).PersonId], decision.Promoted);
        Assert.False(decision.ChangesEngagement);
    }
}
