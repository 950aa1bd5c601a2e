using Microsoft.EntityFrameworkCore;

namespace CommissionPlanner.Data;

/// <summary>
/// The programme's stays lock: a transaction-scoped PostgreSQL advisory lock taken by every writer of a programme's stays
/// and room blocks (the accommodation grain, the import) before it reads the counts it decides on, so that two writers
/// never both allocate the last room.
/// </summary>
public static class StayLocks
{
    public static Task LockAsync(PlannerDbContext db, Guid programmeId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var key = "stays:" + programmeId.ToString("N");
        return db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))", ct);
    }
}
