using CommissionPlanner.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommissionPlanner.Data;

public static class ProgrammeChanges
{
    /// <summary>
    /// Saves the context's pending changes and marks the programme as changed, in one transaction: its change stamp
    /// (<see cref="ProgrammeStamps"/>) is one higher once the transaction commits, so a cached feed can never see the change
    /// without the new stamp, nor the stamp without the change.
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

        // One batch in one transaction (EF Core's own, or the caller's when one is open).
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Each programme's change stamp: the number of changes committed to it, as the folded count on its row plus its
    /// marks not yet folded (<see cref="ProgrammeChangeMark"/>). Compose it into one query, so both parts come from one
    /// snapshot: read in two, a fold committing in between would count its marks twice or not at all.
    /// </summary>
    public static IQueryable<ProgrammeStamp> ProgrammeStamps(this PlannerDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Programmes.Select(p => new ProgrammeStamp
        {
            ProgrammeId = p.Id,
            Stamp = p.ChangeStamp + db.ProgrammeChangeMarks.LongCount(m => m.ProgrammeId == p.Id),
        });
    }

    /// <summary>
    /// Moves every mark into its programme's folded count, in one statement, so the stamp each programme shows is the
    /// same before and after. Returns how many programmes it moved marks into; 0 also when another silo is folding at
    /// the moment (one fold at a time, so two never lock the same marks in different orders and deadlock). Marks of
    /// transactions still open are not visible to it; they are folded by a later run.
    /// </summary>
    /// <remarks>
    /// It runs on a connection of its own from <paramref name="dataSource"/>, outside EF Core, so it does not advance
    /// <see cref="LocalWrites.Version"/>: no stamp moves, so no feed this silo holds in memory goes stale, and a fold every
    /// second must not make every feed poll ask PostgreSQL again.
    /// </remarks>
    public static async Task<int> FoldAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(hashtext('programme_change_marks_fold'))", connection, transaction))
        {
            if (await take.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return 0;
            }
        }

        await using var fold = new NpgsqlCommand(
            """
            WITH gone AS (DELETE FROM programme_change_marks RETURNING programme_id),
                 counted AS (SELECT programme_id, count(*) AS changes FROM gone GROUP BY programme_id)
            UPDATE programmes p SET change_stamp = p.change_stamp + counted.changes
            FROM counted WHERE p.id = counted.programme_id
            """, connection, transaction);
        var folded = await fold.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return folded;
    }
}

/// <summary>A programme and its change stamp (<see cref="ProgrammeChanges.ProgrammeStamps"/>).</summary>
public sealed class ProgrammeStamp
{
    public Guid ProgrammeId { get; init; }
    public long Stamp { get; init; }
}
