using CommissionPlanner.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommissionPlanner.Data.Queries;

/// <summary>An attendee of an engagement as an organiser feed lists them: who, in what role, with what reply.</summary>
public readonly record struct FeedAttendeeRow(Guid EngagementId, Guid PersonId, AttendeeRole Role, Response Response);

/// <summary>A person as an organiser feed's attendee lines show them, and where they come in protocol order.</summary>
public sealed record FeedPersonRow(Guid Id, string FullName, string? LocalName, string Email, int ProtocolOrder);

/// <summary>
/// Every attendee of an organiser feed's engagements (200,000 in the scale test's programme) and each of those people
/// once, in one round trip, read with Npgsql's reader rather than materialised by EF Core: on the first feed after a
/// start, EF Core took some 0.5 s for rows PostgreSQL returns in 0.1 s (docs/performance.md).
/// </summary>
public static class FeedAttendeeRows
{
    /// <summary>
    /// The attendee rows of <paramref name="engagementIds"/> and their people. <paramref name="programmeId"/> is set when
    /// the engagements are all of that programme's (a programme feed): its people are then read by programme, where
    /// otherwise they are those the attendee rows name, which has PostgreSQL read those rows a second time.
    /// </summary>
    public static async Task<(List<FeedAttendeeRow> Attendees, Dictionary<Guid, FeedPersonRow> People)> ReadAsync(
        PlannerDbContext db, Guid[] engagementIds, Guid? programmeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection())
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand("SELECT engagement_id, person_id, role, response FROM attendees WHERE engagement_id = ANY($1)")
                    {
                        Parameters = { new NpgsqlParameter<Guid[]> { TypedValue = engagementIds } },
                    },
                    programmeId is { } programme
                        ? new NpgsqlBatchCommand("SELECT id, full_name, local_name, email, protocol_order FROM people WHERE programme_id = $1")
                        {
                            Parameters = { new NpgsqlParameter<Guid> { TypedValue = programme } },
                        }
                        : new NpgsqlBatchCommand(
                            """
                            SELECT p.id, p.full_name, p.local_name, p.email, p.protocol_order FROM people p
                            WHERE p.id IN (SELECT a.person_id FROM attendees a WHERE a.engagement_id = ANY($1))
                            """)
                        {
                            Parameters = { new NpgsqlParameter<Guid[]> { TypedValue = engagementIds } },
                        },
                },
            };
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            var attendees = new List<FeedAttendeeRow>();
            while (await reader.ReadAsync(cancellationToken))
            {
                attendees.Add(new FeedAttendeeRow(reader.GetGuid(0), reader.GetGuid(1), Role(reader.GetString(2)), Reply(reader.GetString(3))));
            }

            await reader.NextResultAsync(cancellationToken);
            var people = new Dictionary<Guid, FeedPersonRow>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetGuid(0);
                people[id] = new FeedPersonRow(id, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetInt32(4));
            }

            return (attendees, people);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static AttendeeRole Role(string wire) =>
        AttendeeRoles.TryParse(wire, out var role) ? role : throw new InvalidOperationException($"Unknown attendee role '{wire}' in the database.");

    private static Response Reply(string wire) =>
        Responses.TryParse(wire, out var response) ? response : throw new InvalidOperationException($"Unknown response '{wire}' in the database.");
}
