using System.Net;
using System.Text.Json;
using CommissionPlanner.Data.Import;
using CommissionPlanner.Web.Tests.Import;
using CommissionPlanner.Web.Tests.Infrastructure;

namespace CommissionPlanner.Web.Tests.Planning;

/// <summary>
/// One rule book for every change (issue 14): the bugs found when each path (API, import) had its own copy of the rules,
/// and a comparison of the two paths applying the same change.
/// </summary>
public sealed class RuleBookTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private const string Lunch = "Working lunch: ministerial bilateral";
    private const string TsinghuaVisit = "Visit to the Institute for Carbon Neutrality, Tsinghua University";
    private const int TsinghuaVenue = 2;
    private const int DiaoyutaiVenue = 1;
    private const int LunchEngagement = 2;
    private const int TsinghuaEngagement = 4;

    private PlanningClient Api() => new(fixture.App.AdminClient());

    // ---------------------------------------------------------------------------------------------------------------
    // The bugs, one by one

    [Fact]
    public async Task A_rejection_stands_when_the_venue_is_unflagged_and_the_host_changed_until_a_reviewer_decides_again()
    {
        using var api = Api();
        using var reviewer = new PlanningClient(fixture.App.ClientWithKey(await api.CreateKey("RCAT reviewer", "reviewer")));
        var jcm = await Jcm.SetUp(api);
        (await api.Patch($"/api/venues/{jcm.Tsinghua}", new { sensitive = true })).Ok();
        var visit = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:30", "2025-11-11T17:00", "Lab visit",
            "site-visit", areas: ["climate-environment"]);
        Assert.Equal("required", visit.Prop("review").Str("status"));
        (await reviewer.Post($"/api/engagements/{visit.Id()}/review", new { decision = "rejected", note = "Dual-use risk." })).Ok();

        (await api.Patch($"/api/venues/{jcm.Tsinghua}", new { sensitive = false })).Ok();
        Assert.Equal("required", (await api.GetEngagement(visit.Id())).Prop("review").Str("status"));
        var changedHost = await api.PatchEngagement(visit.Id(), new { host = "Another host" });
        Assert.Equal("required", changedHost.Prop("review").Str("status"));
        PlanningAssert.Problem(await api.Post($"/api/engagements/{visit.Id()}/confirm", null), HttpStatusCode.Conflict);

        // A reviewer's new decision is what lifts it.
        (await reviewer.Post($"/api/engagements/{visit.Id()}/review", new { decision = "approved", note = "Host changed; fine now." })).Ok();
        Assert.Equal("confirmed", (await api.Post($"/api/engagements/{visit.Id()}/confirm", null)).Ok().Str("status"));
    }

    [Fact]
    public async Task Lowering_a_venues_capacity_below_the_people_attending_an_engagement_there_is_refused_with_both_numbers()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:00", "Capacity meeting");
        foreach (var name in new[] { "Dr One", "Dr Two" })
        {
            var person = await jcm.NewDelegate(api, name);
            await api.AddAttendee(meeting.Id(), person);
            await api.SetResponse(meeting.Id(), person, "accepted");
        }

        var refused = await api.Patch($"/api/venues/{jcm.Diaoyutai}", new { capacity = 1 });
        PlanningAssert.Problem(refused, HttpStatusCode.Conflict);
        Assert.Equal(1, refused.Json.Required("capacity").GetInt32());
        Assert.Equal(2, refused.Json.Required("attending").GetInt32());

        Assert.Equal(200, (await api.GetJson($"/api/venues/{jcm.Diaoyutai}")).Required("capacity").GetInt32());
        Assert.All((await api.GetAttendees(meeting.Id())).Items(), a => Assert.Equal("attending", a.Str("attendance")));
        Assert.Equal(2, (await api.Patch($"/api/venues/{jcm.Diaoyutai}", new { capacity = 2 })).Ok().Required("capacity").GetInt32());
    }

    [Fact]
    public async Task An_import_that_renames_a_venue_raises_the_sequence_of_its_engagements()
    {
        using var api = Api();
        var doc = ImportSample.Load(ImportSample.NewPrefix());
        var programme = await Import(api, doc);
        var before = await Engagement(api, programme, TsinghuaVisit);

        await Import(api, doc.WithVenue(TsinghuaVenue, v => v with { Name = "Tsinghua Institute for Carbon Neutrality (new building)" }), HttpStatusCode.OK);

        var after = await Engagement(api, programme, TsinghuaVisit);
        Assert.Equal(Sequence(before) + 1, Sequence(after));
    }

    [Fact]
    public async Task An_import_that_narrows_the_agreed_areas_re_evaluates_engagements_it_does_not_list()
    {
        using var api = Api();
        var doc = ImportSample.Load(ImportSample.NewPrefix());
        var programme = await Import(api, doc);
        var venue = (await Engagement(api, programme, TsinghuaVisit)).Str("venueId");
        var own = await api.CreateMeeting(programme, venue, "2025-11-12T15:00", "2025-11-12T16:00", "Agri-food round table", areas: ["agri-food"]);
        Assert.Equal("not-required", own.Prop("review").Str("status"));

        await Import(api, doc with { Programme = doc.Programme! with { Areas = ["climate-environment", "planetary-science-astronomy", "health"] } }, HttpStatusCode.OK);

        Assert.Equal("required", (await api.GetEngagement(own.Id())).Prop("review").Str("status"));
    }

    [Fact]
    public async Task An_import_that_marks_a_venue_sensitive_re_evaluates_other_programmes_engagements_there()
    {
        using var api = Api();
        var doc = ImportSample.Load(ImportSample.NewPrefix());
        var programme = await Import(api, doc);
        var venue = (await Engagement(api, programme, TsinghuaVisit)).Str("venueId");
        var other = await api.CreateProgramme();
        var elsewhere = await api.CreateMeeting(other.Id(), venue, "2025-12-01T10:00", "2025-12-01T11:00", "Another programme's visit",
            areas: ["climate-environment"]);
        (await api.Post($"/api/engagements/{elsewhere.Id()}/confirm", null)).Ok();
        var confirmed = await api.GetEngagement(elsewhere.Id());

        await Import(api, doc.WithVenue(TsinghuaVenue, v => v with { Sensitive = true })
            .WithEngagement(TsinghuaEngagement, e => e with { Status = "tentative" }), HttpStatusCode.OK);

        var after = await api.GetEngagement(elsewhere.Id());
        Assert.Equal("required", after.Prop("review").Str("status"));
        Assert.Equal(Sequence(confirmed) + 1, Sequence(after));
        Assert.Contains((await api.GetJson($"/api/engagements/{elsewhere.Id()}/history")).Items(), h => h.Str("action") == "imported");
    }

    [Fact]
    public async Task An_import_that_raises_a_capacity_records_the_promotions_from_the_waiting_list()
    {
        using var api = Api();
        var doc = ImportSample.Load(ImportSample.NewPrefix()).WithEngagement(LunchEngagement, e => e with { Capacity = 4 });
        var programme = await Import(api, doc);
        var lunch = await Engagement(api, programme, Lunch);
        Assert.Equal(5, (await api.GetAttendees(lunch.Id())).Items().Count(a => a.Str("attendance") == "waiting"));

        await Import(api, doc.WithEngagement(LunchEngagement, e => e with { Capacity = 6 }), HttpStatusCode.OK);

        Assert.Equal(2, (await api.GetJson($"/api/engagements/{lunch.Id()}/promotions")).Items().Count);
    }

    [Fact]
    public async Task The_sample_exercises_the_rules_with_a_leg_across_zones_and_a_visit_awaiting_review()
    {
        using var api = Api();
        var programme = await Import(api, ImportSample.Load(ImportSample.NewPrefix()));
        var flight = await Engagement(api, programme, "Flight London to Beijing");
        Assert.Equal("Europe/London", flight.Str("timeZone"));
        Assert.Equal("Asia/Shanghai", flight.Str("endTimeZone"));
        Assert.Equal("2025-11-09T11:45:00Z", flight.Str("startUtc"));
        Assert.Equal("2025-11-09T22:00:00Z", flight.Str("endUtc"));

        var quantum = await Engagement(api, programme, "Visit to a quantum information laboratory, Tsinghua University");
        Assert.Equal("required", quantum.Prop("review").Str("status"));
        PlanningAssert.Problem(await api.Post($"/api/engagements/{quantum.Id()}/confirm", null), HttpStatusCode.Conflict);
        Assert.Empty((await api.GetConflicts(programme)).Items());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The same change through the API and through an import has the same outcome

    public static TheoryData<string> Changes => ["rename venue", "venue sensitive", "narrow areas", "raise capacity", "lower capacity", "lower venue capacity", "new host after rejection"];

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task The_api_and_the_import_give_the_same_outcome_for_the_same_change(string change)
    {
        using var api = Api();
        using var reviewer = new PlanningClient(fixture.App.ClientWithKey(await api.CreateKey("reviewer", "reviewer")));
        var scenario = Scenario(change);
        var viaApi = await Twin.Import(api, scenario.Start);
        var viaImport = await Twin.Import(api, scenario.Start);
        foreach (var twin in new[] { viaApi, viaImport })
        {
            await scenario.Prepare(api, reviewer, twin);
        }

        var apiBefore = await Outcome.Read(api, viaApi, scenario.Watched);
        var importBefore = await Outcome.Read(api, viaImport, scenario.Watched);
        Assert.Equal(apiBefore with { History = 0 }, importBefore with { History = 0 });

        var apiAnswer = await scenario.ViaApi(api, viaApi);
        var importAnswer = await api.PostRaw("/api/programmes/import", ImportSample.Serialize(scenario.Changed(viaImport.Document)));

        Assert.True(apiAnswer.Status == importAnswer.Status || (apiAnswer.Status == HttpStatusCode.OK && importAnswer.Status == HttpStatusCode.OK),
            $"API: {apiAnswer.Describe()}\nImport: {importAnswer.Describe()}");
        if (apiAnswer.Status == HttpStatusCode.Conflict)
        {
            Assert.Equal(apiAnswer.Json.Required("capacity").GetInt32(), importAnswer.Json.Required("capacity").GetInt32());
            Assert.Equal(apiAnswer.Json.Required("attending").GetInt32(), importAnswer.Json.Required("attending").GetInt32());
        }

        var apiAfter = await Outcome.Read(api, viaApi, scenario.Watched);
        var importAfter = await Outcome.Read(api, viaImport, scenario.Watched);
        Assert.Equal(apiAfter with { History = 0 }, importAfter with { History = 0 });
        Assert.Equal(apiAfter.History - apiBefore.History, importAfter.History - importBefore.History);
        Assert.Equal(scenario.Expected, apiAfter with { History = 0 } == apiBefore with { History = 0 } ? "unchanged" : "changed");
    }

    private sealed record ScenarioSpec(
        ProgrammeDocument Start, string Watched, Func<PlanningClient, PlanningClient, Twin, Task> Prepare,
        Func<PlanningClient, Twin, Task<ApiResult>> ViaApi, Func<ProgrammeDocument, ProgrammeDocument> Changed, string Expected);

    private static ScenarioSpec Scenario(string change)
    {
        var start = ImportSample.Load(string.Empty);
        static Task Nothing(PlanningClient api, PlanningClient reviewer, Twin twin) => Task.CompletedTask;
        return change switch
        {
            "rename venue" => new(start, TsinghuaVisit, Nothing,
                (api, t) => api.Patch($"/api/venues/{t.VenueOf(TsinghuaVisit)}", new { name = "ICON, new building" }),
                d => d.WithVenue(TsinghuaVenue, v => v with { Name = "ICON, new building" }), "changed"),
            "venue sensitive" => new(start.WithEngagement(TsinghuaEngagement, e => e with { Status = "tentative" }), TsinghuaVisit,
                async (api, _, t) => (await api.Post($"/api/engagements/{t.Engagements[TsinghuaVisit]}/confirm", null)).Ok(),
                (api, t) => api.Patch($"/api/venues/{t.VenueOf(TsinghuaVisit)}", new { sensitive = true }),
                // The document keeps the visit confirmed by leaving its status out (a stored status stands).
                d => d.WithVenue(TsinghuaVenue, v => v with { Sensitive = true }).WithEngagement(TsinghuaEngagement, e => e with { Status = null }), "changed"),
            "narrow areas" => new(start, Lunch, Nothing,
                (api, t) => api.Patch($"/api/programmes/{t.ProgrammeId}", new { areas = new[] { "climate-environment", "planetary-science-astronomy", "agri-food" } }),
                d => (d with { Programme = d.Programme! with { Areas = ["climate-environment", "planetary-science-astronomy", "agri-food"] } })
                    .WithEngagement(LunchEngagement, e => e with { Status = null }), "changed"),
            "raise capacity" => new(start.WithEngagement(LunchEngagement, e => e with { Capacity = 4 }), Lunch, Nothing,
                (api, t) => api.Patch($"/api/engagements/{t.Engagements[Lunch]}", new { capacity = 6 }),
                d => d.WithEngagement(LunchEngagement, e => e with { Capacity = 6 }), "changed"),
            "lower capacity" => new(start, Lunch, Nothing,
                (api, t) => api.Patch($"/api/engagements/{t.Engagements[Lunch]}", new { capacity = 3 }),
                d => d.WithEngagement(LunchEngagement, e => e with { Capacity = 3 }), "unchanged"),
            "lower venue capacity" => new(start.WithEngagement(LunchEngagement, e => e with { Capacity = null }), Lunch, Nothing,
                (api, t) => api.Patch($"/api/venues/{t.VenueOf(Lunch)}", new { capacity = 3 }),
                d => d.WithVenue(DiaoyutaiVenue, v => v with { Capacity = 3 }), "unchanged"),
            "new host after rejection" => new(
                start.WithVenue(TsinghuaVenue, v => v with { Sensitive = true }).WithEngagement(TsinghuaEngagement, e => e with { Status = "tentative" }),
                TsinghuaVisit,
                async (_, reviewer, t) => (await reviewer.Post($"/api/engagements/{t.Engagements[TsinghuaVisit]}/review", new { decision = "rejected", note = "No." })).Ok(),
                (api, t) => api.Patch($"/api/engagements/{t.Engagements[TsinghuaVisit]}", new { host = "Another host" }),
                d => d.WithEngagement(TsinghuaEngagement, e => e with { Host = "Another host", Status = null }), "changed"),
            _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
        };
    }

    /// <summary>One copy of the sample (its own externalIds, so its own venues), as imported.</summary>
    private sealed record Twin(string ProgrammeId, ProgrammeDocument Document, Dictionary<string, string> Engagements, Dictionary<string, string> Venues)
    {
        public string VenueOf(string title) => Venues[title];

        public static async Task<Twin> Import(PlanningClient api, ProgrammeDocument start)
        {
            var prefix = ImportSample.NewPrefix();
            var document = ImportSample.Prefixed(start, prefix);
            var programme = await RuleBookTests.Import(api, document);
            var engagements = (await api.ListEngagements(programme)).Items();
            return new Twin(programme, document,
                engagements.ToDictionary(e => e.Str("title"), e => e.Id()),
                engagements.Where(e => e.Prop("venueId").ValueKind == JsonValueKind.String).ToDictionary(e => e.Str("title"), e => e.Str("venueId")));
        }
    }

    /// <summary>What a change decides for the watched engagement: review, SEQUENCE, places, promotions, and its history's length.</summary>
    private sealed record Outcome(string Review, int Sequence, string Status, string Places, string Promotions, int History)
    {
        public static async Task<Outcome> Read(PlanningClient api, Twin twin, string title)
        {
            var id = twin.Engagements[title];
            var engagement = await api.GetEngagement(id);
            var attendees = (await api.GetAttendees(id)).Items();
            var promotions = (await api.GetJson($"/api/engagements/{id}/promotions")).Items();
            var history = (await api.GetJson($"/api/engagements/{id}/history")).Items();
            return new Outcome(
                engagement.Prop("review").Str("status"),
                RuleBookTests.Sequence(engagement),
                engagement.Str("status"),
                string.Join(", ", attendees.Select(a => $"{a.Str("fullName")}: {a.Str("attendance")}")),
                string.Join(", ", promotions.Select(p => p.Str("fullName"))),
                history.Count);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static int Sequence(JsonElement engagement) => engagement.Required("sequence").GetInt32();

    private static async Task<string> Import(PlanningClient api, ProgrammeDocument doc, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var result = (await api.PostRaw("/api/programmes/import", ImportSample.Serialize(doc))).Expect(expected);
        return result.Json.Str("programmeId");
    }

    private static async Task<JsonElement> Engagement(PlanningClient api, string programmeId, string title) =>
        (await api.ListEngagements(programmeId)).Items().Single(e => e.Str("title") == title);
}
