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

    /// <summary>
    /// <see cref="SaveChangesAndTouchAsync(PlannerDbContext, Guid, CancellationToken)"/> for a save of a few rows that
    /// EF Core sends as one batch, such as an attendee add (its row, its audit entry and the mark), without the BEGIN and
    /// COMMIT round trips of EF Core's own transaction: PostgreSQL runs a batch that ends in one Sync message, as Npgsql
    /// sends it, as one implicit transaction, all or nothing, and the mark still acts at its commit. Adds are the
    /// hottest write (docs/performance.md). <c>ChangeStampTests.Adding_an_attendee_is_all_or_nothing</c> fails should a future
    /// EF Core split such a save into two batches. Inside a caller's transaction this is the ordinary save.
    /// </summary>
    public static async Task SaveBatchAndTouchAsync(this PlannerDbContext db, Guid programmeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var behaviour = db.Database.AutoTransactionBehavior;
        db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        try
        {
            await db.SaveChangesAndTouchAsync(programmeId, cancellationToken);
        }
        finally
        {
            db.Database.AutoTransactionBehavior = behaviour;
        }
    }
}
