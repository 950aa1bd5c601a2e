using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace CommissionPlanner.Data.Import;

/// <summary>
/// Writes an import's new attendees: <see cref="RowsPerStatement"/> rows per INSERT, from arrays (unnest), instead of
/// one INSERT each through EF Core's change tracker.
/// </summary>
/// <remarks>
/// The attendees table has statement-level AFTER INSERT triggers (the engagements' list revision, the notification
/// queue). EF Core sends one INSERT per row (batched into round trips, but each its own statement), so the triggers
/// fired once per attendee: a 200,000-attendee import updated its engagements' rows 200,000 times (every engagement 40
/// times), which took most of the import's time and left the engagements table many times its size (91 MB for 10,000
/// rows, one live row a page), slowing every later read of it (docs/performance.md, "Scale test (issue 22)"). One
/// statement per chunk fires them once per chunk, each engagement updated once or twice. The rows are checked by the
/// same constraints (keys, foreign keys, the no-double-booking exclusion) row by row, as before.
/// </remarks>
internal static class AttendeeInserts
{
    public const int RowsPerStatement = 5000;

    private const string Sql = """
        INSERT INTO attendees (engagement_id, person_id, role, response, acceptance_order, invited_at, responded_at, occupied, holds_time)
        SELECT t.e, t.p, t.r, t.s, t.o, t.i, t.d, tstzrange(t.lo, t.hi, '[)'), t.h
        FROM unnest(@e, @p, @r, @s, @o, @i, @d, @lo, @hi, @h) AS t(e, p, r, s, o, i, d, lo, hi, h)
        """;

    public static async Task InsertAsync(PlannerDbContext db, IReadOnlyList<AttendeeRecord> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        for (var first = 0; first < rows.Count; first += RowsPerStatement)
        {
            var chunk = rows.Skip(first).Take(RowsPerStatement).ToList();
            await db.Database.ExecuteSqlRawAsync(Sql,
                [
                    Array("e", NpgsqlDbType.Uuid, chunk.Select(a => a.EngagementId).ToArray()),
                    Array("p", NpgsqlDbType.Uuid, chunk.Select(a => a.PersonId).ToArray()),
                    Array("r", NpgsqlDbType.Text, chunk.Select(a => AttendeeRoles.ToWire(a.Role)).ToArray()),
                    Array("s", NpgsqlDbType.Text, chunk.Select(a => Responses.ToWire(a.Response)).ToArray()),
                    Array("o", NpgsqlDbType.Bigint, chunk.Select(a => a.AcceptanceOrder).ToArray()),
                    Array("i", NpgsqlDbType.TimestampTz, chunk.Select(a => a.InvitedAt).ToArray()),
                    Array("d", NpgsqlDbType.TimestampTz, chunk.Select(a => a.RespondedAt).ToArray()),
                    Array("lo", NpgsqlDbType.TimestampTz, chunk.Select(a => a.Occupied.Start).ToArray()),
                    Array("hi", NpgsqlDbType.TimestampTz, chunk.Select(a => a.Occupied.End).ToArray()),
                    Array("h", NpgsqlDbType.Boolean, chunk.Select(a => a.HoldsTime).ToArray()),
                ],
                cancellationToken);
        }
    }

    private static NpgsqlParameter Array(string name, NpgsqlDbType type, object values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values };
}
