using System.Net;
using CommissionPlanner.Data;
using CommissionPlanner.Web.Tests.Infrastructure;
using Npgsql;

namespace CommissionPlanner.Web.Tests.Planning;

/// <summary>
/// The engagement grain decides attendee adds on the engagement and list it holds in memory (EngagementGrain.Held.cs), and
/// its write claims the revisions it read. Each test changes the engagement behind the grain's back, straight in
/// PostgreSQL as an import or a repair by hand would, and checks that the stale copy never writes nor refuses wrongly.
/// </summary>
public sealed class EngagementClaimTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_grain_holding_an_engagement_cancelled_elsewhere_cannot_add_to_it()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T11:00", "Held");
        await api.AddAttendee(meeting.Id(), await jcm.NewDelegate(api, "Dr First"));

        await Execute("UPDATE engagements SET status = 'cancelled', cancel_reason = 'by hand' WHERE id = @id", meeting.Id());
        var late = await jcm.NewDelegate(api, "Dr Late");
        var refused = await api.TryAddAttendee(meeting.Id(), late);

        Assert.True(refused.Status == HttpStatusCode.Conflict, refused.Describe());
        Assert.Contains("cancelled", refused.Text, StringComparison.Ordinal);
        Assert.DoesNotContain((await api.GetAttendees(meeting.Id())).Items(), a => a.Str("personId") == late);
    }

    [Fact]
    public async Task A_refusal_decided_on_a_list_changed_elsewhere_is_decided_again()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T11:00", "Held");
        var person = await jcm.NewDelegate(api, "Dr Removed By Hand");
        await api.AddAttendee(meeting.Id(), person);

        // The grain still holds the person on its list; the database no longer has them there. A refusal writes nothing,
        // so no claim would catch it: the grain must check before it answers "already on the list".
        await Execute($"DELETE FROM attendees WHERE engagement_id = @id AND person_id = '{person}'", meeting.Id());

        var again = await api.TryAddAttendee(meeting.Id(), person);
        Assert.True(again.Status == HttpStatusCode.Created, again.Describe());
        Assert.Single((await api.GetAttendees(meeting.Id())).Items(), a => a.Str("personId") == person);
    }

    [Fact]
    public async Task A_grain_holding_an_old_time_books_by_the_new_one()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Moved");
        var morning = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T11:00", "Morning");
        var lunch = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T12:00", "2025-11-11T13:00", "Lunch");
        await api.AddAttendee(morning.Id(), await jcm.NewDelegate(api, "Dr Other"));
        await api.AddAttendee(lunch.Id(), person);

        // Moved by hand onto the lunch: the grain's copy still says 10:00, but the claim sends it back to read.
        await Execute("""
            UPDATE engagements SET start_local = '2025-11-11T12:00', end_local = '2025-11-11T13:00',
                start_utc = '2025-11-11T04:00Z', end_utc = '2025-11-11T05:00Z' WHERE id = @id;
            UPDATE attendees SET occupied = tstzrange('2025-11-11T04:00Z', '2025-11-11T05:00Z') WHERE engagement_id = @id
            """, morning.Id());
        var refused = await api.TryAddAttendee(morning.Id(), person);

        Assert.True(refused.Status == HttpStatusCode.Conflict, refused.Describe());
        Assert.Contains(lunch.Id(), refused.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_claim_on_revisions_no_longer_current_fails_and_writes_nothing()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T11:00", "Claimed");
        var id = Guid.Parse(meeting.Id());
        await using var db = new NpgsqlConnection(fixture.App.ConnectionString);
        await db.OpenAsync(Cancel);
        await using var read = new NpgsqlCommand("SELECT revision, list_revision FROM engagements WHERE id = @id", db);
        read.Parameters.AddWithValue("id", id);
        long revision, listRevision;
        await using (var row = await read.ExecuteReaderAsync(Cancel))
        {
            Assert.True(await row.ReadAsync(Cancel));
            (revision, listRevision) = (row.GetInt64(0), row.GetInt64(1));
        }

        async Task Claim(long seenRevision, long seenList)
        {
            await using var claim = new NpgsqlCommand(
                "SELECT claim_engagement(@id, @revision, @list); UPDATE engagements SET title = 'Written' WHERE id = @id", db);
            claim.Parameters.AddWithValue("id", id);
            claim.Parameters.AddWithValue("revision", seenRevision);
            claim.Parameters.AddWithValue("list", seenList);
            await claim.ExecuteNonQueryAsync(Cancel);
        }

        var stale = await Assert.ThrowsAsync<PostgresException>(() => Claim(revision, listRevision - 1));
        Assert.True(EngagementClaim.IsStale(stale));
        Assert.True(EngagementClaim.IsStale(await Assert.ThrowsAsync<PostgresException>(() => Claim(revision + 1, listRevision))));
        Assert.Equal("Claimed", (await api.GetEngagement(meeting.Id())).Str("title"));

        await Claim(revision, listRevision);
        Assert.Equal("Written", (await api.GetEngagement(meeting.Id())).Str("title"));
    }

    private async Task Execute(string sql, string engagementId)
    {
        await using var db = new NpgsqlConnection(fixture.App.ConnectionString);
        await db.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(sql, db);
        command.Parameters.AddWithValue("id", Guid.Parse(engagementId));
        Assert.True(await command.ExecuteNonQueryAsync(Cancel) > 0);
    }
}
