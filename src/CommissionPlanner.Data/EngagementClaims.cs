using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace CommissionPlanner.Data;

/// <summary>
/// The revisions of an engagement and its list as its grain read them. A write decided on that reading claims them first,
/// in its own transaction (the database function claim_engagement, migration EngagementClaims): the row stays locked until
/// the write commits, and a reading that is no longer current fails the whole write with <see cref="StaleSqlState"/>, so a
/// grain holding an old copy (one another silo's activation, an import or a venue edit has overtaken) can never write.
/// </summary>
public sealed record EngagementClaim(Guid EngagementId, long Revision, long ListRevision)
{
    /// <summary>What claim_engagement raises when the reading is no longer current.</summary>
    public const string StaleSqlState = "CP001";

    public static EngagementClaim Of(EngagementRecord engagement)
    {
        ArgumentNullException.ThrowIfNull(engagement);
        return new EngagementClaim(engagement.Id, engagement.Revision, engagement.ListRevision);
    }

    /// <summary>Whether a write failed because its claim was stale (directly, or as EF Core wraps it).</summary>
    public static bool IsStale(Exception exception) =>
        exception is PostgresException { SqlState: StaleSqlState } || exception?.InnerException is PostgresException { SqlState: StaleSqlState };

    /// <summary>
    /// Claims the engagement in the context's transaction (which the caller opens, and which must stay open until the
    /// change is saved: the claim's lock lasts as long as it).
    /// </summary>
    public async Task ClaimAsync(PlannerDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("An engagement is claimed inside the transaction that writes the change.");
        }

        await db.Database.ExecuteSqlAsync($"SELECT claim_engagement({EngagementId}, {Revision}, {ListRevision})", cancellationToken);
    }
}

/// <summary>
/// The attendee add's write, the hottest in the planner (docs/performance.md): the claim, the attendee's row, its audit entry
/// and the programme's change mark, sent as one batch. PostgreSQL runs a batch that ends in one Sync message as one implicit
/// transaction, all or nothing, so the add costs one round trip and no read. Written as SQL because EF Core cannot put a
/// statement of its own (the claim) at the head of the batch it sends; the columns are the entities' (snake_case), and
/// AttendeeTests and ChangeStampTests read every one back through EF Core.
/// </summary>
public static class AttendeeWrites
{
    private const string InsertAttendee = """
        INSERT INTO attendees (engagement_id, person_id, role, response, acceptance_order, invited_at, responded_at, occupied, holds_time)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        """;

    private const string InsertAudit = """
        INSERT INTO audit_entries (at, actor, key_id, client_address, entity_type, entity_id, programme_id, action, before, after, request_claim)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
        """;

    private const string InsertMark = "INSERT INTO programme_change_marks (id, programme_id) VALUES ($1, $2)";

    /// <summary>
    /// Adds the attendee if <paramref name="claim"/> is still current. Throws <see cref="PostgresException"/> on a stale
    /// claim (<see cref="EngagementClaim.IsStale"/>), an overlapping booking, a row already there or a person gone.
    /// </summary>
    public static async Task AddAsync(
        PlannerDbContext db, EngagementClaim claim, Guid programmeId, AttendeeRecord attendee, AuditRecord audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(attendee);
        ArgumentNullException.ThrowIfNull(audit);

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection())
            {
                BatchCommands =
                {
                    Command("SELECT claim_engagement($1, $2, $3)", claim.EngagementId, claim.Revision, claim.ListRevision),
                    Command(InsertAttendee, attendee.EngagementId, attendee.PersonId, AttendeeRoles.ToWire(attendee.Role), Responses.ToWire(attendee.Response), attendee.AcceptanceOrder,
                        attendee.InvitedAt, attendee.RespondedAt, attendee.Occupied, attendee.HoldsTime),
                    Command(InsertAudit, audit.At, audit.Actor, audit.KeyId, audit.ClientAddress, audit.EntityType, audit.EntityId,
                        audit.ProgrammeId, audit.Action, Json(audit.Before), Json(audit.After), audit.RequestClaim),
                    Command(InsertMark, Guid.CreateVersion7(), programmeId),
                },
            };
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        // As for EF Core's saves: feed serving learns that this silo wrote (LocalWrites).
        LocalWrites.Advance(programmeId);
    }

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    private static NpgsqlParameter Json(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)value ?? DBNull.Value };
}
