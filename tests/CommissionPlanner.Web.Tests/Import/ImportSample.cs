using System.Text.Json;
using CommissionPlanner.Data;
using CommissionPlanner.Data.Import;
using CommissionPlanner.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NodaTime;

namespace CommissionPlanner.Web.Tests.Import;

/// <summary>
/// The sample programme (samples/jcm-2025.json) with every externalId given a prefix, so tests sharing a database (and
/// its global venues) do not see each other's programmes.
/// </summary>
internal static class ImportSample
{
    public static string Path { get; } = FindSample();

    public static string Json => File.ReadAllText(Path);

    public static ProgrammeDocument Load(string prefix) => Prefixed(JsonSerializer.Deserialize<ProgrammeDocument>(Json, JsonSerializerOptions.Web)!, prefix);

    /// <summary>The document with <paramref name="prefix"/> before every externalId and every reference to one.</summary>
    public static ProgrammeDocument Prefixed(ProgrammeDocument doc, string prefix)
    {
        string? P(string? id) => id is null ? null : prefix + id;
        return doc with
        {
            Programme = doc.Programme! with { ExternalId = P(doc.Programme.ExternalId) },
            Venues = [.. doc.Venues!.Select(v => v! with { ExternalId = P(v.ExternalId) })],
            Delegations =
            [
                .. doc.Delegations!.Select(d => d! with
                {
                    ExternalId = P(d.ExternalId),
                    Members = [.. d.Members!.Select(m => m! with { ExternalId = P(m.ExternalId) })],
                }),
            ],
            Engagements =
            [
                .. doc.Engagements!.Select(e => e! with
                {
                    ExternalId = P(e.ExternalId),
                    Venue = P(e.Venue),
                    From = P(e.From),
                    To = P(e.To),
                    Attendees = [.. e.Attendees!.Select(a => a! with { Person = P(a.Person) })],
                    Vehicle = P(e.Vehicle),
                }),
            ],
            Vehicles = doc.Vehicles is null ? null : [.. doc.Vehicles.Select(v => v! with { ExternalId = P(v.ExternalId) })],
            RoomBlocks = doc.RoomBlocks is null ? null : [.. doc.RoomBlocks.Select(b => b! with { Hotel = P(b.Hotel) })],
            Stays = doc.Stays is null ? null
                : [.. doc.Stays.Select(x => x! with { ExternalId = P(x.ExternalId), Person = P(x.Person), Hotel = P(x.Hotel), SharingWith = P(x.SharingWith) })],
        };
    }

    public static string NewPrefix() => $"t{Guid.NewGuid():N}"[..12] + "-";

    public static ProgrammeDocument WithEngagement(this ProgrammeDocument doc, int index, Func<EngagementData, EngagementData> change) =>
        doc with { Engagements = [.. doc.Engagements!.Select((e, i) => i == index ? change(e!) : e)] };

    public static ProgrammeDocument WithVenue(this ProgrammeDocument doc, int index, Func<VenueData, VenueData> change) =>
        doc with { Venues = [.. doc.Venues!.Select((v, i) => i == index ? change(v!) : v)] };

    public static ProgrammeDocument WithMember(this ProgrammeDocument doc, int delegation, int member, Func<MemberData, MemberData> change) =>
        doc with
        {
            Delegations =
            [
                .. doc.Delegations!.Select((d, i) => i != delegation ? d : d! with
                {
                    Members = [.. d.Members!.Select((m, k) => k == member ? change(m!) : m)],
                }),
            ],
        };

    public static string Serialize(ProgrammeDocument doc) => JsonSerializer.Serialize(doc, JsonSerializerOptions.Web);

    public static ProgrammeImporter Importer(this PlannerFixture fixture) => new(
        fixture.App.Services.GetRequiredService<IDbContextFactory<PlannerDbContext>>(), SystemClock.Instance, DateTimeZoneProviders.Tzdb);

    public static ProgrammeExporter Exporter(this PlannerFixture fixture) => new(
        fixture.App.Services.GetRequiredService<IDbContextFactory<PlannerDbContext>>());

    /// <summary>Rows per table: what "nothing was written" compares.</summary>
    public static async Task<string> RowCounts(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM programmes) || '/' || (SELECT count(*) FROM venues) || '/' || (SELECT count(*) FROM delegations) "
            + "|| '/' || (SELECT count(*) FROM people) || '/' || (SELECT count(*) FROM engagements) || '/' || (SELECT count(*) FROM attendees)",
            connection);
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Every row of one programme with its version columns (and the attendees' copies of time), as comparable text.</summary>
    public static async Task<Dictionary<string, string>> Versions(string connectionString, Guid programmeId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT 'programme:' || external_id, version || '|' || updated_at FROM programmes WHERE id = @p
            UNION ALL SELECT 'programme-stamp:' || external_id,
                    (change_stamp + (SELECT count(*) FROM programme_change_marks m WHERE m.programme_id = @p))::text FROM programmes WHERE id = @p
            UNION ALL SELECT 'venue:' || v.external_id, v.version || '|' || v.updated_at FROM venues v
                WHERE v.id IN (SELECT from_venue_id FROM engagements WHERE programme_id = @p UNION SELECT to_venue_id FROM engagements WHERE programme_id = @p)
            UNION ALL SELECT 'delegation:' || external_id, version || '|' || updated_at FROM delegations WHERE programme_id = @p
            UNION ALL SELECT 'person:' || external_id, version || '|' || updated_at || '|' || protocol_order FROM people WHERE programme_id = @p
            UNION ALL SELECT 'engagement:' || external_id, version || '|' || sequence || '|' || updated_at FROM engagements WHERE programme_id = @p
            UNION ALL SELECT 'attendee:' || e.external_id || ':' || p.external_id,
                    a.response || '|' || a.acceptance_order || '|' || to_char(lower(a.occupied) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
                        || '..' || to_char(upper(a.occupied) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '|' || a.holds_time || '|' || coalesce(a.responded_at::text, '')
                FROM attendees a JOIN engagements e ON e.id = a.engagement_id JOIN people p ON p.id = a.person_id WHERE e.programme_id = @p
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("p", programmeId);
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(reader.GetString(0), reader.GetString(1));
        }

        return rows;
    }

    private static string FindSample()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "samples", "jcm-2025.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("samples/jcm-2025.json was not found above the test's directory.");
    }
}
