namespace CommissionPlanner.Data.Entities;

/// <summary>
/// "This transaction changed programme X": written with the change itself (in the same batch, no round trip of its
/// own), turned into the programme's ChangeStamp + 1 by a deferred trigger as the transaction commits, and removed
/// there. Bumping the stamp at commit, not when the change is saved, keeps the programme row locked only while the
/// commit runs: concurrent writers to one programme (16 adding attendees) no longer queue behind each other's
/// round trips (docs/performance.md).
/// </summary>
public sealed class ProgrammeChangeMark
{
    public Guid Id { get; set; }
    public Guid ProgrammeId { get; set; }
}
