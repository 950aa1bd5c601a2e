namespace CommissionPlanner.Web.Hosting;

/// <summary>
/// The turns changes take while calendar polls are being answered: one change at a time, and after each a rest, so that
/// changes hold the silo for at most <c>share</c> of the time. Two cores that a burst of changes keeps busy (each one CPU in
/// the silo and in a PostgreSQL backend) leave the polls beside them, of this programme or any other, waiting for a core:
/// their p99 went from 3 to 17–27 ms beside sixteen writers (docs/performance.md, "Isolation"). A change that finds the
/// last one's rest over goes at once, so a lone change waits for nothing.
/// </summary>
/// <remarks>
/// Pure arithmetic over timestamps (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> ticks), so the rule is tested without a clock;
/// <see cref="WriteAdmission"/> holds the one-at-a-time and the waiting. Not thread-safe: only the change holding the turn
/// calls it.
/// </remarks>
internal sealed class ChangeTurns
{
    private readonly double restPerTickHeld;
    private long nextTurnAt = long.MinValue;

    /// <param name="share">The most of the time changes may hold the turn, above 0 and at most 1 (1: no rest).</param>
    public ChangeTurns(double share)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(share);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(share, 1);
        restPerTickHeld = (1 - share) / share;
    }

    /// <summary>Ticks the next change must still wait from <paramref name="now"/>: what is left of the last one's rest.</summary>
    public long WaitFrom(long now) => nextTurnAt == long.MinValue ? 0 : Math.Max(0, nextTurnAt - now);

    /// <summary>A change held the turn from <paramref name="started"/> to <paramref name="finished"/>: the next turn is after its rest.</summary>
    public void Held(long started, long finished)
    {
        var rest = (long)(Math.Max(0, finished - started) * restPerTickHeld);
        nextTurnAt = finished + rest;
    }
}
