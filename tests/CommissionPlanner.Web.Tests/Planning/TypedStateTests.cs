using CommissionPlanner.Web.Tests.Infrastructure;

namespace CommissionPlanner.Web.Tests.Planning;

/// <summary>
/// An engagement's status and review status are domain enums in the entity (EngagementStatus, ReviewStatus) and their
/// wire names in the columns, the history and the API: reports and people reading the tables see "cancelled", never a number.
/// </summary>
public sealed class TypedStateTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    [Fact]
    public async Task Statuses_are_stored_and_shown_in_history_by_their_wire_names()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var jcm = await Jcm.SetUp(api);
        var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T11:00", "Typed");
        await api.CancelEngagement(meeting.Id(), "Postponed.");

        await using var db = new Npgsql.NpgsqlConnection(fixture.App.ConnectionString);
        await db.OpenAsync(TestContext.Current.CancellationToken);
        await using var read = new Npgsql.NpgsqlCommand("SELECT status || ' ' || review_status FROM engagements WHERE id = @id", db);
        read.Parameters.AddWithValue("id", Guid.Parse(meeting.Id()));
        Assert.Equal("cancelled not-required", await read.ExecuteScalarAsync(TestContext.Current.CancellationToken));

        var history = (await api.Get($"/api/engagements/{meeting.Id()}/history")).Ok().GetRawText();
        Assert.Contains("\"status\":\"cancelled\"", history, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"tentative\"", history, StringComparison.Ordinal);
        Assert.Contains("\"reviewStatus\":\"not-required\"", history, StringComparison.Ordinal);
    }
}
