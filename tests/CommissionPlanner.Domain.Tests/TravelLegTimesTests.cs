using static CommissionPlanner.Domain.Tests.TestData;

namespace CommissionPlanner.Domain.Tests;

public class TravelLegTimesTests
{
    [Fact]
    public void A_leg_that_arrives_after_it_departs_is_valid() =>
        Assert.Null(TravelLegTimes.Validate(At("2025-11-12T13:00", Shanghai), At("2025-11-12T17:30", London)));

    [Fact]
    public void A_leg_whose_local_arrival_looks_later_but_is_earlier_in_UTC_is_rejected()
    {
        // 13:00 in Beijing is 05:00 UTC; 04:00 in London that day is 04:00 UTC: the arrival date was probably meant to be the next day.
        var departure = At("2025-11-12T13:00", Shanghai);
        var arrival = At("2025-11-12T04:00", London);

        var error = TravelLegTimes.Validate(departure, arrival);

        Assert.NotNull(error);
        Assert.StartsWith("The travel leg arrives 1h 0m before it departs", error, StringComparison.Ordinal);
        Assert.Contains("time zones", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_leg_that_arrives_at_the_moment_it_departs_is_rejected()
    {
        var moment = Instant.FromUtc(2025, 11, 12, 5, 0);

        Assert.NotNull(TravelLegTimes.Validate(moment, moment));
    }
}
