using CommissionPlanner.Web.Tests.Infrastructure;

namespace CommissionPlanner.Web.Tests.Planning;

/// <summary>
/// An engagement's kind, status, review status and travel mode, an attendee's reply and role, and a person's role in
/// their delegation are domain enums in the entities (EngagementKind, EngagementStatus, ReviewStatus, TravelMode,
/// Response, AttendeeRole, DelegateRole) and their wire names in the columns, the history and the
/// API: reports and people reading the tables see "cancelled", never a number.
/// </summary>
public sealed class TypedStateTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    [Fact]
    public async Task Statuses_are_stored_and_shown_in_history_by_their_wire_names()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Typed Reply");
        var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T11:00", "Typed");
        await api.AddAttendee(meeting.Id(), person);
        await api.SetResponse(meeting.Id(), person, "accepted");
        await api.CancelEngagement(meeting.Id(), "Postponed.");

        await using var db = new Npgsql.NpgsqlConnection(fixture.App.ConnectionString);
        await db.OpenAsync(TestContext.Current.CancellationToken);
        await using var read = new Npgsql.NpgsqlCommand("SELECT e.kind || ' ' || e.status || ' ' || e.review_status || ' ' || a.response || ' ' || a.role FROM engagements e JOIN attendees a ON a.engagement_id = e.id WHERE e.id = @id", db);
        read.Parameters.AddWithValue("id", Guid.Parse(meeting.Id()));
        Assert.Equal("meeting cancelled not-required accepted required", await read.ExecuteScalarAsync(TestContext.Current.CancellationToken));

        var history = (await api.Get($"/api/engagements/{meeting.Id()}/history")).Ok().GetRawText();
        Assert.Contains("\"status\":\"cancelled\"", history, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"tentative\"", history, StringComparison.Ordinal);
        Assert.Contains("\"reviewStatus\":\"not-required\"", history, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"meeting\"", history, StringComparison.Ordinal);
        Assert.Contains("\"response\":\"needs-action\"", history, StringComparison.Ordinal);
        Assert.Contains("\"response\":\"accepted\"", history, StringComparison.Ordinal);
        Assert.Contains("\"role\":\"required\"", history, StringComparison.Ordinal);

        // A person's role in their delegation: the same in the row and in the history (the audit entry of the person's creation).
        await using var personRow = new Npgsql.NpgsqlCommand(
            "SELECT p.role || ' ' || (a.after ->> 'role') FROM people p JOIN audit_entries a ON a.entity_id = p.id AND a.action = 'created' WHERE p.id = @id", db);
        personRow.Parameters.AddWithValue("id", Guid.Parse(person));
        Assert.Equal("member member", await personRow.ExecuteScalarAsync(TestContext.Current.CancellationToken));

        // A travel leg's mode (optional: null for everything else), in the row, the history and the API.
        var flight = await api.CreateTravelLeg(jcm.ProgrammeId, jcm.BeijingAirport, jcm.GuangzhouAirport,
            "2025-11-12T09:30", "2025-11-12T12:30", "Flight to Guangzhou", "flight", "CA 1351");
        Assert.Equal("flight", flight.Str("mode"));
        await using var modes = new Npgsql.NpgsqlCommand(
            "SELECT string_agg(coalesce(e.travel_mode, 'none'), ' ' ORDER BY e.kind) FROM engagements e WHERE e.id IN (@flight, @meeting)", db);
        modes.Parameters.AddWithValue("flight", Guid.Parse(flight.Id()));
        modes.Parameters.AddWithValue("meeting", Guid.Parse(meeting.Id()));
        Assert.Equal("none flight", await modes.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        Assert.Contains("\"travelMode\":\"flight\"", (await api.Get($"/api/engagements/{flight.Id()}/history")).Ok().GetRawText(), StringComparison.Ordinal);
    }
}
