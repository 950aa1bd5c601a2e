using CommissionPlanner.Web.Hosting;

namespace CommissionPlanner.Web.Tests.Concurrency;

/// <summary>The rule of the turns changes take beside calendar polls: a rest after each, in proportion to its length.</summary>
public sealed class ChangeTurnsTests
{
    [Fact]
    public void The_first_change_waits_for_nothing()
    {
        var turns = new ChangeTurns(0.5);
        Assert.Equal(0, turns.WaitFrom(1_000));
    }

    [Theory]
    [InlineData(0.5, 10, 10)]   // half the time: a rest as long as the change
    [InlineData(0.25, 10, 30)]  // a quarter: three times as long
    [InlineData(1.0, 10, 0)]    // all of it: no rest
    public void After_a_change_the_next_waits_out_a_rest_in_proportion_to_it(double share, long held, long rest)
    {
        var turns = new ChangeTurns(share);
        turns.Held(started: 100, finished: 100 + held);

        Assert.Equal(rest, turns.WaitFrom(100 + held));
        Assert.Equal(Math.Max(0, rest - 4), turns.WaitFrom(100 + held + 4));
        Assert.Equal(0, turns.WaitFrom(100 + held + rest));
        Assert.Equal(0, turns.WaitFrom(100 + held + rest + 1_000));
    }

    [Fact]
    public void Changes_back_to_back_hold_the_turn_for_the_share_of_the_time()
    {
        var turns = new ChangeTurns(0.2);
        long now = 0, held = 0;
        for (var i = 0; i < 100; i++)
        {
            now += turns.WaitFrom(now);
            var length = 5 + i % 7;
            turns.Held(now, now + length);
            now += length;
            held += length;
        }

        now += turns.WaitFrom(now);
        Assert.Equal(0.2, (double)held / now, precision: 3);
    }

    [Fact]
    public void A_change_after_a_long_quiet_waits_for_nothing()
    {
        var turns = new ChangeTurns(0.1);
        turns.Held(0, 50); // a rest of 450
        Assert.Equal(0, turns.WaitFrom(10_000));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    public void A_share_outside_zero_to_one_is_refused(double share) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChangeTurns(share));
}
