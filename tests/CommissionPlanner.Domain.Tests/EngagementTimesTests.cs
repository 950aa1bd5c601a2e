namespace CommissionPlanner.Domain.Tests;

public class EngagementTimesTests
{
    private static readonly Instant Start = Instant.FromUtc(2025, 11, 11, 2, 0);

    [Fact]
    public void An_engagement_that_ends_after_it_starts_is_valid() =>
        Assert.Null(EngagementTimes.Validate(Start, Start + Duration.FromHours(2)));

    [Fact]
    public void An_engagement_that_ends_when_it_starts_is_rejected() =>
        Assert.NotNull(EngagementTimes.Validate(Start, Start));

    [Fact]
    public void An_engagement_that_ends_before_it_starts_is_rejected_saying_by_how_much()
    {
        var error = EngagementTimes.Validate(Start, Start - Duration.FromMinutes(90));

        Assert.Equal("The engagement ends 1h 30m before it starts; the end must be after the start.", error);
    }

    [Fact]
    public void Exactly_fourteen_days_is_allowed() =>
        Assert.Null(EngagementTimes.Validate(Start, Start + Duration.FromDays(14)));

    [Fact]
    public void Longer_than_fourteen_days_is_rejected_as_a_likely_typo()
    {
        var error = EngagementTimes.Validate(Start, Start + Duration.FromDays(31));

        Assert.Equal("The engagement would last 31 days, longer than the 14-day limit; check the start and end dates.", error);
    }
}
