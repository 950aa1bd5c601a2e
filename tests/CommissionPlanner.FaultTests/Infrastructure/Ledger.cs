using System.Collections.Concurrent;
using Npgsql;

namespace CommissionPlanner.FaultTests.Infrastructure;

/// <summary>
/// What the clients were told: every answer, and which writes were acknowledged (2xx). Afterwards the database
/// must hold every acknowledged write, once.
/// </summary>
public sealed class Ledger
{
    public ConcurrentBag<Answer> Answers { get; } = [];

    /// <summary>(engagement, person) pairs whose add was answered 201.</summary>
    public ConcurrentDictionary<(string Engagement, string Person), bool> AckedAdds { get; } = new();

    /// <summary>(engagement, person) → the reply that was answered 200.</summary>
    public ConcurrentDictionary<(string Engagement, string Person), string> AckedReplies { get; } = new();

    private int ackedWrites;

    public int AckedWrites => Volatile.Read(ref ackedWrites);

    /// <summary>Sends a write, retrying while the answer says "try again" (503, or no answer), up to <paramref name="patience"/>.</summary>
    public async Task<Answer> Write(Func<Task<Answer>> send, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var answer = await send();
            Answers.Add(answer);
            if (answer.Ok)
            {
                Interlocked.Increment(ref ackedWrites);
            }

            if (answer.Ok || answer.Status is not (0 or 503) || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(300);
        }
    }

    /// <summary>Answers that are neither success, nor a 409 the scenario allows, nor a 503 "try again": there should be none.</summary>
    public List<Answer> Unexpected() =>
        [.. Answers.Where(a => !a.Ok && a.Status is not (409 or 503))];
}

/// <summary>The database's view, read directly: attendee rows, audit entries, overlapping bookings.</summary>
public static class Database
{
    public sealed record AttendeeRow(string Engagement, string Person, string Response, bool HoldsTime);

    public static async Task<Dictionary<(string Engagement, string Person), AttendeeRow>> Attendees(LocalCluster cluster, string programmeId)
    {
        await using var connection = await cluster.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT a.engagement_id::text, a.person_id::text, a.response, a.holds_time
            FROM attendees a JOIN engagements e ON e.id = a.engagement_id
            WHERE e.programme_id = @programme
            """, connection);
        command.Parameters.AddWithValue("programme", Guid.Parse(programmeId));
        var rows = new Dictionary<(string, string), AttendeeRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new AttendeeRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3));
            rows.Add((row.Engagement, row.Person), row);
        }

        return rows;
    }

    /// <summary>(engagement, person) pairs whose "attendee-added" audit entry appears more than once: a write applied twice.</summary>
    public static async Task<List<string>> DuplicatedAdds(LocalCluster cluster, string programmeId)
    {
        await using var connection = await cluster.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT entity_id::text || ' / ' || (after::jsonb ->> 'personId') || ': ' || count(*)
            FROM audit_entries
            WHERE action = 'attendee-added' AND programme_id = @programme
            GROUP BY entity_id, after::jsonb ->> 'personId'
            HAVING count(*) > 1
            """, connection);
        command.Parameters.AddWithValue("programme", Guid.Parse(programmeId));
        var duplicates = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            duplicates.Add(reader.GetString(0));
        }

        return duplicates;
    }

    /// <summary>Pairs of one person's bookings that both hold time and overlap: a double booking.</summary>
    public static async Task<List<string>> DoubleBookings(LocalCluster cluster, string programmeId)
    {
        await using var connection = await cluster.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT a.person_id::text || ': ' || a.engagement_id::text || ' and ' || b.engagement_id::text
            FROM attendees a
            JOIN attendees b ON b.person_id = a.person_id AND b.engagement_id > a.engagement_id
            JOIN engagements e ON e.id = a.engagement_id
            WHERE e.programme_id = @programme AND a.holds_time AND b.holds_time AND a.occupied && b.occupied
            """, connection);
        command.Parameters.AddWithValue("programme", Guid.Parse(programmeId));
        var clashes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            clashes.Add(reader.GetString(0));
        }

        return clashes;
    }

    /// <summary>Checks every acknowledged add and reply against the rows, and that no add was applied twice.</summary>
    public static async Task AssertNothingAcknowledgedIsLost(LocalCluster cluster, string programmeId, Ledger ledger)
    {
        var rows = await Attendees(cluster, programmeId);
        var lostAdds = ledger.AckedAdds.Keys.Where(k => !rows.ContainsKey(k)).ToList();
        Assert.True(lostAdds.Count == 0, $"{lostAdds.Count} acknowledged adds are missing: {string.Join(", ", lostAdds.Take(5))}");
        var lostReplies = ledger.AckedReplies
            .Where(r => !rows.TryGetValue(r.Key, out var row) || row.Response != r.Value)
            .Select(r => $"{r.Key}: acknowledged {r.Value}, stored {(rows.TryGetValue(r.Key, out var row) ? row.Response : "nothing")}")
            .ToList();
        Assert.True(lostReplies.Count == 0, $"{lostReplies.Count} acknowledged replies are not stored: {string.Join("; ", lostReplies.Take(5))}");
        var duplicates = await DuplicatedAdds(cluster, programmeId);
        Assert.True(duplicates.Count == 0, $"Adds applied more than once: {string.Join("; ", duplicates)}");
    }
}
