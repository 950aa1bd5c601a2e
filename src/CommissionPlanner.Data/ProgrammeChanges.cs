using CommissionPlanner.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CommissionPlanner.Data;

public static class ProgrammeChanges
{
    /// <summary>
    /// Saves the context's pending changes and marks the programme as changed, in one transaction: its ChangeStamp
    /// goes up by one as the transaction commits (<see cref="ProgrammeChangeMark"/>), so a cached feed can never see
    /// the change without the new stamp, nor the stamp without the change.
    /// </summary>
    public static Task SaveChangesAndTouchAsync(this PlannerDbContext db, Guid programmeId, CancellationToken cancellationToken = default) =>
        db.SaveChangesAndTouchAsync([programmeId], cancellationToken);

    /// <inheritdoc cref="SaveChangesAndTouchAsync(PlannerDbContext, Guid, CancellationToken)"/>
    public static async Task SaveChangesAndTouchAsync(this PlannerDbContext db, IEnumerable<Guid> programmeIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(programmeIds);
        foreach (var programmeId in programmeIds.Distinct())
        {
            db.ProgrammeChangeMarks.Add(new ProgrammeChangeMark { Id = Guid.CreateVersion7(), ProgrammeId = programmeId });
        }

        // One batch in one transaction (EF Core's own, or the caller's when one is open); the marks act at commit.
        await db.SaveChangesAsync(cancellationToken);
    }
}
