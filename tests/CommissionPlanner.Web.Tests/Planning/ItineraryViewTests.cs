using CommissionPlanner.Web.Tests.Import;
using CommissionPlanner.Web.Tests.Infrastructure;

namespace CommissionPlanner.Web.Tests.Planning;

/// <summary>
/// Itineraries are served from a view kept per programme change stamp (ItineraryViews): every kind of write must show in
/// the next GET, through whichever path it came.
/// </summary>
public sealed class ItineraryViewTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private PlanningClient Api() => new(fixture.App.AdminClient());

    [Fact]
    public async Task Every_kind_of_change_shows_in_the_next_itinerary_read()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Fresh View");
        var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T11:00", "First title");
        await api.AddAttendee(meeting.Id(), person);
        Assert.Equal("First title", Entry(await api.GetItinerary(person)).Str("title"));
        Assert.Equal("First title", Entry(await api.GetItinerary(person)).Str("title"));

        await api.PatchEngagement(meeting.Id(), new { title = "Second title", start = "2025-11-11T10:30" });
        var moved = Entry(await api.GetItinerary(person));
        Assert.Equal("Second title", moved.Str("title"));
        Assert.Equal("2025-11-11T10:30", moved.Str("start"));

        await api.SetResponse(meeting.Id(), person, "accepted");
        Assert.Equal("accepted", Entry(await api.GetItinerary(person)).Str("response"));

        (await api.Patch($"/api/venues/{jcm.Diaoyutai}", new { name = "Diaoyutai, Building 18" })).Ok();
        Assert.Contains("Building 18", Entry(await api.GetItinerary(person)).GetRawText(), StringComparison.Ordinal);

        (await api.Patch($"/api/people/{person}", new { fullName = "Dr Renamed" })).Ok();
        Assert.Equal("Dr Renamed", (await api.GetItinerary(person)).Prop("person").Str("fullName"));

        await api.CancelEngagement(meeting.Id(), "Moved to next year.");
        Assert.Equal("cancelled", Entry(await api.GetItinerary(person)).Str("status"));
    }

    [Fact]
    public async Task A_reimport_that_changes_an_engagement_shows_in_the_next_itinerary_read()
    {
        using var api = Api();
        var doc = ImportSample.Load(ImportSample.NewPrefix());
        var programme = (await api.PostRaw("/api/programmes/import", ImportSample.Serialize(doc))).Created(requireId: false).Str("programmeId");
        var lunch = (await api.ListEngagements(programme)).Items().Single(e => e.Str("title") == doc.Engagements![2]!.Title);
        var person = (await api.GetAttendees(lunch.Id())).Items()[0].Str("personId");
        Assert.Contains((await api.GetItinerary(person)).Required("entries").Items(), e => e.Str("title") == lunch.Str("title"));

        (await api.PostRaw("/api/programmes/import", ImportSample.Serialize(doc.WithEngagement(2, e => e with { Title = "Working lunch (renamed)" })))).Ok();

        Assert.Contains((await api.GetItinerary(person)).Required("entries").Items(), e => e.Str("title") == "Working lunch (renamed)");
    }

    [Fact]
    public async Task Staff_and_the_delegate_each_get_their_own_view_whichever_reads_first()
    {
        using var api = Api();
        using var reviewer = new PlanningClient(fixture.App.ClientWithKey(await api.CreateKey("reviewer", "reviewer")));
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Own View");
        using var delegateClient = new PlanningClient(fixture.App.ClientWithKey(await api.CreateKey("own phone", "delegate", person)));
        var visit = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:30", "2025-11-11T17:00", "Quantum lab",
            "site-visit", areas: ["quantum-computing"]);
        await api.AddAttendee(visit.Id(), person);
        (await reviewer.Post($"/api/engagements/{visit.Id()}/review", new { decision = "approved", note = "Internal: RCAT case 12." })).Ok();

        Assert.Equal("Internal: RCAT case 12.", Entry(await api.GetItinerary(person)).Prop("review").Str("note"));
        var own = Entry(await delegateClient.GetItinerary(person));
        Assert.Equal("approved", own.Prop("review").Str("status"));
        Assert.DoesNotContain("RCAT case 12", own.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("reviewer", own.Prop("review").GetRawText(), StringComparison.Ordinal);

        await api.PatchEngagement(visit.Id(), new { title = "Quantum lab (moved)" });
        Assert.DoesNotContain("RCAT case 12", Entry(await delegateClient.GetItinerary(person)).GetRawText(), StringComparison.Ordinal);
        Assert.Equal("Internal: RCAT case 12.", Entry(await api.GetItinerary(person)).Prop("review").Str("note"));
    }

    private static System.Text.Json.JsonElement Entry(System.Text.Json.JsonElement itinerary) =>
        Assert.Single(itinerary.Required("entries").Items());
}
