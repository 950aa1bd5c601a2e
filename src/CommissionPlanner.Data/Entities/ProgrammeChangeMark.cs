namespace CommissionPlanner.Data.Entities;

/// <summary>
/// "This transaction changed programme X": one row per committed change, written with the change itself (in the same
/// batch, no round trip of its own). A programme's change stamp, which cached feeds follow, is its folded
/// <see cref="ProgrammeRecord.ChangeStamp"/> plus the number of its marks not yet folded (<see cref="ProgrammeChanges"/>).
/// </summary>
/// <remarks>
/// Why a count and not a number per change: writers only insert, so 16 people adding attendees to one programme never
/// wait for each other. An earlier design bumped the programme row at commit, and every add then queued on that one
/// row's lock until the previous writer's WAL flush (docs/performance.md, seventh session). A sequence number per mark
/// would not do either: a change numbered 10 may commit after one numbered 11, and a feed rendered in between would be
/// cached under "11" and never replaced. A count goes up with every commit, in whatever order they land, and a feed
/// read sees folded stamp and unfolded marks in one snapshot, so folding never changes the sum.
/// </remarks>
public sealed class ProgrammeChangeMark
{
    public Guid Id { get; set; }
    public Guid ProgrammeId { get; set; }
}
