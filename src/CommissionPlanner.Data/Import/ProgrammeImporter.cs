using CommissionPlanner.Domain;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Npgsql;

namespace CommissionPlanner.Data.Import;

/// <summary>
/// Imports a whole programme document (<see cref="ProgrammeDocument"/>) in one transaction: every problem or nothing
/// written. Rows are keyed by the document's externalIds, so importing the same document again changes nothing, and a
/// changed document changes only what differs. Rows absent from the document are left alone; an import never deletes.
/// </summary>
/// <param name="dbFactory">The planner's database.</param>
/// <param name="clock">Stamps created, updated, invited and responded times.</param>
/// <param name="zones">Resolves the document's IANA zone ids.</param>
/// <param name="travel">The transfer assumptions of the travel check; <see cref="TravelOptions.Default"/> when null.</param>
/// <param name="committed">
/// Told the ids of the programmes an import changed, after it committed: the host tells the grains that hold state
/// read from those programmes (itineraries). Its failure does not undo the import.
/// </param>
public sealed class ProgrammeImporter(
    IDbContextFactory<PlannerDbContext> dbFactory, IClock clock, IDateTimeZoneProvider zones, TravelOptions? travel = null,
    Func<IReadOnlyCollection<Guid>, Task>? committed = null)
{
    private readonly TravelOptions travel = travel ?? TravelOptions.Default;

    public async Task<ImportOutcome> ImportAsync(ProgrammeDocument document, CancellationToken cancellationToken) =>
        await ImportAsync(document, Entities.ChangeActor.System, cancellationToken);

    /// <summary>Imports the document; <paramref name="actor"/> is recorded in the audit trail with what changed.</summary>
    public async Task<ImportOutcome> ImportAsync(ProgrammeDocument document, Entities.ChangeActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var programmeExternalId = ImportSession.ProgrammeExternalIdOf(document);
        var venueExternalIds = ImportSession.VenueExternalIdsOf(document);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        List<Guid> programmesChanged = [];
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // The document's stays and transfers were checked as a whole; rows written one by one may pass through a state
            // the end state does not have (a person's two stays swapped), so the bed and vehicle constraints wait for commit.
            await db.Database.ExecuteSqlRawAsync("SET CONSTRAINTS ex_stays_person_nights, ex_engagements_vehicle_time DEFERRED", cancellationToken);
            await LockAsync(db, programmeExternalId, venueExternalIds, cancellationToken);

            // Read only after the locks: a concurrent import of the same document has committed by now, and is seen.
            var existing = await ExistingProgramme.LoadAsync(db, programmeExternalId, venueExternalIds, cancellationToken);
            var session = new ImportSession(document, existing, zones, travel, clock.GetCurrentInstant());
            var errors = session.Validate();
            if (errors.Any)
            {
                return ImportOutcome.Invalid(errors);
            }

            session.StageChanges(db);
            if (session.Refusal is { } refusal)
            {
                // The same 409 as lowering the capacity through the API; nothing is saved, and the transaction rolls back.
                return ImportOutcome.Conflicted(refusal.Detail,
                    new Dictionary<string, int> { ["capacity"] = refusal.Capacity, ["attending"] = refusal.Attending });
            }

            await db.SaveChangesAsync(cancellationToken);
            var addedAttendees = session.StageAttendees(db);
            await db.SaveChangesAsync(cancellationToken);
            // Many rows per statement: the attendees' statement triggers fire once per chunk, not once per row.
            await AttendeeInserts.InsertAsync(db, addedAttendees, cancellationToken);
            var summary = session.Summary();
            var changes = session.Changes();
            if (!summary.NothingChanged)
            {
                // One entry for the whole import, in the same transaction: the counts and the ids of every row it changed.
                var at = clock.GetCurrentInstant();
                db.Audit(actor, at, "programme", summary.ProgrammeId, summary.ProgrammeId,
                    summary.CreatedProgramme ? "imported-new" : "imported", null, AuditTrail.Snapshot(new { summary.Counts, changes }));
                foreach (var entry in session.EngagementAudits)
                {
                    // Each stored engagement the import changed has the change in its own history, as an API edit would.
                    db.Audit(actor, at, "engagement", entry.EngagementId, entry.ProgrammeId, "imported", entry.Before, entry.After);
                }

                programmesChanged = await ProgrammesChangedAsync(db, summary.ProgrammeId, changes.VenueIds, cancellationToken);
                await TouchHotelGuestsAsync(db, changes.VenueIds, cancellationToken);
                await db.SaveChangesAndTouchAsync(programmesChanged, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            if (committed is not null && programmesChanged.Count > 0)
            {
                await committed(programmesChanged);
            }

            await RefreshStatisticsAsync(db, summary, cancellationToken);
            return ImportOutcome.Imported(summary, changes);
        }
        catch (Exception exception) when (ConflictDetail(exception) is { } detail)
        {
            return ImportOutcome.Conflicted(detail);
        }
    }

    /// <summary>
    /// After a large import, PostgreSQL's planner statistics describe the tables as they were before it (for a new
    /// database: empty), and until autovacuum catches up (a minute or more) it plans the hot queries badly: the booking
    /// check of an attendee add hashed every engagement, 6.8 ms instead of 0.9 ms, measured with deploy/perf/load-test.sh.
    /// So the tables an import fills are analysed at once. The import is committed by then: a failure here only means
    /// autovacuum does it later, so it is not reported.
    /// </summary>
    private static async Task RefreshStatisticsAsync(PlannerDbContext db, ImportSummary summary, CancellationToken cancellationToken)
    {
        const int LargeImportRows = 500;
        var c = summary.Counts;
        var written = c.All.Sum(k => k.Counts.Created + k.Counts.Updated);
        if (written < LargeImportRows)
        {
            return;
        }

        try
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE venues, delegations, people, engagements, attendees", cancellationToken);
        }
        catch (NpgsqlException)
        {
            // Deliberately ignored: see the summary.
        }
    }

    /// <summary>
    /// Serialises imports of the same programme, and of documents sharing a venue (venues are global), across every
    /// silo: transaction-scoped advisory locks, the programme's first, then the venues' in a fixed order (no deadlocks).
    /// </summary>
    private static async Task LockAsync(
        PlannerDbContext db, string? programmeExternalId, IReadOnlyCollection<string> venueExternalIds, CancellationToken cancellationToken)
    {
        if (programmeExternalId is not null)
        {
            var programmeKey = "programme-import:" + programmeExternalId;
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({programmeKey}, 0))", cancellationToken);
        }

        if (venueExternalIds.Count > 0)
        {
            var venueKeys = venueExternalIds.Select(v => "venue-import:" + v).Order(StringComparer.Ordinal).ToArray();
            await db.Database.ExecuteSqlAsync(
                $"SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM (SELECT k FROM unnest({venueKeys}) AS k ORDER BY k COLLATE \"C\") AS keys",
                cancellationToken);
        }
    }

    /// <summary>
    /// The programmes the import changed, whose ChangeStamp (which cached feeds follow) must go up: its own, and every other
    /// programme with an engagement at a venue the import changed (venues are shared). Only asked when something changed:
    /// a re-import touches nothing.
    /// </summary>
    private static async Task<List<Guid>> ProgrammesChangedAsync(
        PlannerDbContext db, Guid programmeId, IReadOnlyList<Guid> changedVenues, CancellationToken cancellationToken)
    {
        var venueIds = changedVenues.ToList();
        return await db.Programmes
            .Where(p => p.Id == programmeId || db.Engagements.Any(e =>
                e.ProgrammeId == p.Id && (venueIds.Contains(e.FromVenueId) || venueIds.Contains(e.ToVenueId)))
                || db.Stays.Any(x => x.ProgrammeId == p.Id && venueIds.Contains(x.HotelId)))
            .Select(p => p.Id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Itineraries read a person's stays with the person: the guests of a hotel the import changed (in any programme) get
    /// their revision moved (the people trigger raises it), so their itineraries read the hotel again.
    /// </summary>
    private static async Task TouchHotelGuestsAsync(PlannerDbContext db, IReadOnlyList<Guid> changedVenues, CancellationToken cancellationToken)
    {
        if (changedVenues.Count == 0)
        {
            return;
        }

        var venueIds = changedVenues.ToList();
        await db.People.Where(p => db.Stays.Any(s => s.PersonId == p.Id && venueIds.Contains(s.HotelId)))
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.Revision, x => x.Revision), cancellationToken);
    }

    private static string? ConflictDetail(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbUpdateConcurrencyException)
            {
                return "A row the document changes was changed by someone else while the import ran. Nothing was written; import the document again.";
            }

            if (e is PostgresException postgres)
            {
                return postgres.SqlState switch
                {
                    PostgresErrorCodes.ExclusionViolation when postgres.ConstraintName == "ex_engagements_vehicle_time" =>
                        "A vehicle would be in two transfers at once: an overlapping transfer was booked while the import ran. "
                        + "Nothing was written; check the vehicle's manifest and import the document again.",
                    PostgresErrorCodes.ExclusionViolation when postgres.ConstraintName == "ex_stays_person_nights" =>
                        "A person would have two beds on one night: an overlapping stay was booked while the import ran. "
                        + "Nothing was written; import the document again.",
                    PostgresErrorCodes.ExclusionViolation =>
                        "A person would be booked in two places at once: an overlapping booking was made while the import ran. "
                        + "Nothing was written; check the person's itinerary and import the document again.",
                    PostgresErrorCodes.UniqueViolation =>
                        $"The import would break the uniqueness rule {postgres.ConstraintName}, usually because the same record was "
                        + "created while the import ran. Nothing was written; import the document again.",
                    PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure =>
                        "The import collided with another change. Nothing was written; import the document again.",
                    _ => null,
                };
            }
        }

        return null;
    }
}
