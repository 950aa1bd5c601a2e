using System.Net;
using CommissionPlanner.Web.Tests.Infrastructure;

namespace CommissionPlanner.Web.Tests.Planning;

public sealed class PlanningAccessTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private PlanningClient Api() => new(fixture.App.AdminClient());

    [Fact]
    public async Task A_viewer_can_read_a_programme_but_gets_403_on_writes()
    {
        using var admin = Api();
        var jcm = await Jcm.SetUp(admin);
        var plenary = await admin.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary");
        var key = await admin.CreateKey("viewer for planning tests", "viewer");

        using var viewer = new PlanningClient(fixture.App.ClientWithKey(key));
        Assert.Equal(jcm.ProgrammeId, (await viewer.GetJson($"/api/programmes/{jcm.ProgrammeId}")).Id());
        Assert.Single((await viewer.ListEngagements(jcm.ProgrammeId)).Items());

        PlanningAssert.Problem(await viewer.TryCreateProgramme(new
        {
            name = "A viewer's programme",
            startDate = "2025-11-10",
            endDate = "2025-11-13",
            timeZone = "Asia/Shanghai",
            areas = Jcm.AgreedAreas,
        }), HttpStatusCode.Forbidden);
        PlanningAssert.Problem(await viewer.TryCreateEngagement(jcm.ProgrammeId,
            PlanningClient.MeetingBody(jcm.Diaoyutai, "2025-11-11T14:00", "2025-11-11T15:00")), HttpStatusCode.Forbidden);
        PlanningAssert.Problem(await viewer.TryPatchEngagement(plenary.Id(), new { title = "Renamed by a viewer" }), HttpStatusCode.Forbidden);

        Assert.Equal("Plenary", (await admin.GetEngagement(plenary.Id())).Str("title"));
        Assert.Single((await admin.ListEngagements(jcm.ProgrammeId)).Items());
    }

    [Fact]
    public async Task A_request_without_a_key_gets_401()
    {
        using var anonymous = new PlanningClient(fixture.App.CreateClient());
        var result = await anonymous.Get("/api/programmes");
        PlanningAssert.Problem(result, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_delegate_reads_their_own_itinerary_but_another_persons_is_404()
    {
        using var admin = Api();
        var jcm = await Jcm.SetUp(admin);
        var me = await jcm.NewDelegate(admin, "Professor Catherine Oduya");
        var someoneElse = await jcm.NewDelegate(admin, "Professor Rajiv Sandhu");
        var plenary = await admin.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary");
        await admin.AddAttendee(plenary.Id(), me);
        await admin.AddAttendee(plenary.Id(), someoneElse);
        var key = await admin.CreateKey("Catherine's phone", "delegate", me);

        using var delegateClient = new PlanningClient(fixture.App.ClientWithKey(key));
        var mine = await delegateClient.GetItinerary(me);
        Assert.Equal(plenary.Id(), Assert.Single(mine.Required("entries").Items()).Str("engagementId"));

        PlanningAssert.Problem(await delegateClient.Get($"/api/people/{someoneElse}/itinerary"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_delegate_cannot_plan()
    {
        using var admin = Api();
        var jcm = await Jcm.SetUp(admin);
        var me = await jcm.NewDelegate(admin, "Professor Catherine Oduya");
        var key = await admin.CreateKey("Catherine's laptop", "delegate", me);

        using var delegateClient = new PlanningClient(fixture.App.ClientWithKey(key));
        var result = await delegateClient.TryCreateEngagement(jcm.ProgrammeId,
            PlanningClient.MeetingBody(jcm.Diaoyutai, "2025-11-11T14:00", "2025-11-11T15:00"));

        // 403 (not allowed) or 404 (may not know the programme exists): both are the contract's answers.
        Assert.True(result.Status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, result.Describe());
        Assert.Empty((await admin.ListEngagements(jcm.ProgrammeId)).Items());
    }
}
