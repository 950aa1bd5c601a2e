using Microsoft.EntityFrameworkCore;

namespace CommissionPlanner.Data;

public static class ProgrammeChanges
{
    /// <summary>
    /// Marks the programme as changed (its ChangeStamp + 1) and saves the context's pending changes, in one
    /// transaction: a cached feed can never see the change without the new stamp, nor the stamp without the change.
    /// </summary>
    public static async Task SaveChangesAndTouchAsync(this PlannerDbContext db, Guid programmeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var owned = db.Database.CurrentTransaction is null;
        await using var transaction = owned ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        if (owned)
        {
            // EF Core would wrap the save in a savepoint (a round trip of its own); a failure here rolls the
            // whole transaction back anyway.
            db.Database.AutoSavepointsEnabled = false;
        }

        await db.SaveChangesAsync(cancellationToken);
        await db.Programmes.Where(p => p.Id == programmeId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.ChangeStamp, p => p.ChangeStamp + 1), cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
