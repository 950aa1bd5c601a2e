using System.Net;
using CommissionPlanner.Web.Tests.Infrastructure;

namespace CommissionPlanner.Web.Tests.Planning;

public sealed class EngagementTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private PlanningClient Api() => new(fixture.App.AdminClient());

    [Fact]
    public async Task A_meeting_at_10_in_Beijing_is_02_UTC_tentative_with_version_sequence_and_review()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var created = await api.TryCreateEngagement(jcm.ProgrammeId, PlanningClient.MeetingBody(
            jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "11th Joint Commission plenary", areas: ["climate-environment", "health"]));
        var meeting = created.Created();

        foreach (var engagement in new[] { meeting, await api.GetEngagement(meeting.Id()), await api.GetJson(created.Location!.OriginalString) })
        {
            Assert.Equal(meeting.Id(), engagement.Id());
            Assert.Equal("meeting", engagement.Str("kind"));
            Assert.Equal("11th Joint Commission plenary", engagement.Str("title"));
            PlanningAssert.LocalTime("2025-11-11T10:00", engagement.Required("start"));
            PlanningAssert.LocalTime("2025-11-11T12:30", engagement.Required("end"));
            Assert.Equal("Asia/Shanghai", engagement.Str("timeZone"));
            Assert.Equal("Asia/Shanghai", engagement.Str("endTimeZone"));
            Assert.Equal("2025-11-11T02:00:00Z", engagement.Str("startUtc"));
            Assert.Equal("2025-11-11T04:30:00Z", engagement.Str("endUtc"));
            Assert.Equal("tentative", engagement.Str("status"));
            Assert.NotEmpty(engagement.VersionText());
            Assert.Equal(System.Text.Json.JsonValueKind.Number, engagement.Required("sequence").ValueKind);
            // Agreed areas at a venue that is not sensitive: no review needed.
            Assert.Equal("not-required", engagement.Required("review").Str("status"));
        }
    }

    [Fact]
    public async Task A_travel_leg_Beijing_13_00_to_London_17_30_ends_in_London_time_and_lasts_12_and_a_half_hours()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var london = await api.CreateVenue(Jcm.LancasterHouse());

        var flight = await api.CreateTravelLeg(jcm.ProgrammeId, jcm.BeijingAirport, london.Id(),
            "2025-11-11T13:00", "2025-11-11T17:30", "Flight home", "flight", "BA 038");

        Assert.Equal("travel", flight.Str("kind"));
        PlanningAssert.LocalTime("2025-11-11T13:00", flight.Required("start"));
        PlanningAssert.LocalTime("2025-11-11T17:30", flight.Required("end"));
        Assert.Equal("Asia/Shanghai", flight.Str("timeZone"));
        Assert.Equal("Europe/London", flight.Str("endTimeZone"));
        PlanningAssert.UtcTime("2025-11-11T05:00:00Z", flight.Required("startUtc"));
        PlanningAssert.UtcTime("2025-11-11T17:30:00Z", flight.Required("endUtc"));
        Assert.Equal(TimeSpan.FromHours(12.5),
            PlanningAssert.ParseUtc(flight.Required("endUtc")) - PlanningAssert.ParseUtc(flight.Required("startUtc")));
        Assert.Equal("tentative", flight.Str("status"));
    }

    [Theory]
    [InlineData("2026-03-27T09:00", "2026-03-27T09:00:00Z")]
    [InlineData("2026-03-30T09:00", "2026-03-30T08:00:00Z")]
    public async Task A_London_meeting_at_9_is_9_UTC_before_the_clocks_change_and_8_UTC_after(string localStart, string expectedUtc)
    {
        using var api = Api();
        var programme = await api.CreateProgramme("UK–China science dialogue, London", "2026-03-26", "2026-03-31", "Europe/London");
        var london = await api.CreateVenue(Jcm.LancasterHouse());

        var meeting = await api.CreateMeeting(programme.Id(), london.Id(), localStart, localStart.Replace("T09:", "T10:", StringComparison.Ordinal), "Working session");

        PlanningAssert.LocalTime(localStart, meeting.Required("start"));
        Assert.Equal("Europe/London", meeting.Str("timeZone"));
        PlanningAssert.UtcTime(expectedUtc, meeting.Required("startUtc"));
    }

    [Fact]
    public async Task A_meeting_with_its_own_time_zone_is_read_in_that_zone()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        // A video link to London, booked at the Beijing venue but timed in London.
        var call = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T08:00", "2025-11-11T09:00", "Call with London", "briefing", timeZone: "Europe/London");

        Assert.Equal("Europe/London", call.Str("timeZone"));
        Assert.Equal("Europe/London", call.Str("endTimeZone"));
        PlanningAssert.UtcTime("2025-11-11T08:00:00Z", call.Required("startUtc"));
    }

    [Theory]
    [InlineData("timeZone", "Asia/Beijing_Nowhere")]
    [InlineData("end", "2025-11-11T09:00")]
    [InlineData("capacity", -1)]
    [InlineData("kind", "banquet-of-doom")]
    [InlineData("start", "11/11/2025 10:00")]
    public async Task A_meeting_with_a_bad_field_gets_400_naming_it_and_nothing_is_written(string field, object value)
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var body = PlanningClient.MeetingBody(jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:00").With(field, value);

        PlanningAssert.Problem(await api.TryCreateEngagement(jcm.ProgrammeId, body), HttpStatusCode.BadRequest, field);

        Assert.Empty((await api.ListEngagements(jcm.ProgrammeId)).Items());
    }

    [Fact]
    public async Task An_unknown_venueId_in_the_body_gets_400_naming_venueId_and_nothing_is_written()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:00", "Plenary");

        var result = await api.TryCreateEngagement(jcm.ProgrammeId,
            PlanningClient.MeetingBody(Guid.NewGuid().ToString(), "2025-11-11T14:00", "2025-11-11T15:00", "At nowhere"));

        PlanningAssert.Problem(result, HttpStatusCode.BadRequest, "venueId");
        Assert.Single((await api.ListEngagements(jcm.ProgrammeId)).Items());
    }

    [Fact]
    public async Task A_travel_leg_arriving_before_it_departs_in_UTC_gets_400_naming_arrival()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var london = await api.CreateVenue(Jcm.LancasterHouse());

        // 10:00 in London is 10:00Z; 17:00 in Beijing is 09:00Z: later on the clock, earlier in fact.
        var result = await api.TryCreateEngagement(jcm.ProgrammeId,
            PlanningClient.TravelBody(london.Id(), jcm.BeijingAirport, "2025-11-11T10:00", "2025-11-11T17:00", "Impossible flight"));

        PlanningAssert.Problem(result, HttpStatusCode.BadRequest, "arrival");
        Assert.Empty((await api.ListEngagements(jcm.ProgrammeId)).Items());
    }

    [Theory]
    [InlineData("fromVenueId")]
    [InlineData("toVenueId")]
    public async Task A_travel_leg_with_an_unknown_venue_gets_400_naming_it(string field)
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var body = PlanningClient.TravelBody(jcm.BeijingAirport, jcm.GuangzhouAirport, "2025-11-12T09:30", "2025-11-12T12:30")
            .With(field, Guid.NewGuid().ToString());
        PlanningAssert.Problem(await api.TryCreateEngagement(jcm.ProgrammeId, body), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task A_London_time_skipped_by_the_clock_change_gets_400_naming_start()
    {
        using var api = Api();
        var programme = await api.CreateProgramme("UK–China science dialogue, London", "2026-03-26", "2026-03-31", "Europe/London");
        var london = await api.CreateVenue(Jcm.LancasterHouse());

        // On 29 March 2026 London's clocks go from 01:00 straight to 02:00: 01:30 never happens.
        var result = await api.TryCreateEngagement(programme.Id(),
            PlanningClient.MeetingBody(london.Id(), "2026-03-29T01:30", "2026-03-29T03:00", "Night session"));

        PlanningAssert.Problem(result, HttpStatusCode.BadRequest, "start");
        Assert.Empty((await api.ListEngagements(programme.Id())).Items());
    }

    [Fact]
    public async Task Malformed_json_for_an_engagement_gets_400_problem_details()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        PlanningAssert.Problem(await api.PostRaw($"/api/programmes/{jcm.ProgrammeId}/engagements", "{\"kind\": \"meeting\", \"title\": "), HttpStatusCode.BadRequest);
        PlanningAssert.Problem(await api.PostRaw($"/api/programmes/{jcm.ProgrammeId}/engagements", "{\"kind\": \"meeting\", \"capacity\": \"many\"}"), HttpStatusCode.BadRequest);
        Assert.Empty((await api.ListEngagements(jcm.ProgrammeId)).Items());
    }

    [Fact]
    public async Task Creating_an_engagement_under_an_unknown_programme_is_404()
    {
        using var api = Api();
        var venue = await api.CreateVenue(Jcm.Diaoyutai());
        var body = PlanningClient.MeetingBody(venue.Id(), "2025-11-11T10:00", "2025-11-11T12:00");
        PlanningAssert.Problem(await api.TryCreateEngagement(Guid.NewGuid().ToString(), body), HttpStatusCode.NotFound);
        PlanningAssert.Problem(await api.TryCreateEngagement("not-a-uuid", body), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_engagement_list_filters_by_from_to_and_kind_and_is_in_time_order()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        // Created out of order on purpose.
        var reception = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T18:30", "2025-11-11T20:30", "Reception", "reception");
        var arrival = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-10T17:00", "2025-11-10T18:00", "Arrival briefing", "briefing");
        var ccus = await api.CreateMeeting(jcm.ProgrammeId, jcm.CcusCentre, "2025-11-13T10:00", "2025-11-13T12:00", "Visit to the CCUS Centre", "site-visit");
        var plenary = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:30", "Plenary");
        var tsinghua = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:00", "2025-11-11T16:30", "Visit to Tsinghua ICON", "site-visit");

        var all = (await api.ListEngagements(jcm.ProgrammeId)).Items().Select(e => e.Id()).ToArray();
        Assert.Equal([arrival.Id(), plenary.Id(), tsinghua.Id(), reception.Id(), ccus.Id()], all);

        // Whether 'to' is inclusive or not, 11 November and nothing else lies between these dates.
        var onTheEleventh = (await api.ListEngagements(jcm.ProgrammeId, "from=2025-11-11&to=2025-11-12")).Items().Select(e => e.Id()).ToArray();
        Assert.Equal([plenary.Id(), tsinghua.Id(), reception.Id()], onTheEleventh);

        var visits = (await api.ListEngagements(jcm.ProgrammeId, "kind=site-visit")).Items().Select(e => e.Id()).ToArray();
        Assert.Equal([tsinghua.Id(), ccus.Id()], visits);

        var visitsOnTheEleventh = (await api.ListEngagements(jcm.ProgrammeId, "from=2025-11-11&to=2025-11-12&kind=site-visit")).Items().Select(e => e.Id()).ToArray();
        Assert.Equal([tsinghua.Id()], visitsOnTheEleventh);
    }

    [Fact]
    public async Task A_patch_with_the_current_If_Match_succeeds_and_with_a_stale_one_gets_409()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:00", "Plenary");
        var original = meeting.VersionText();

        var renamed = await api.PatchEngagement(meeting.Id(), new { title = "11th Joint Commission plenary" }, original);
        Assert.Equal("11th Joint Commission plenary", renamed.Str("title"));
        Assert.NotEqual(original, renamed.VersionText());

        var stale = await api.TryPatchEngagement(meeting.Id(), new { title = "A lost update" }, original);
        PlanningAssert.Problem(stale, HttpStatusCode.Conflict);
        Assert.Equal("11th Joint Commission plenary", (await api.GetEngagement(meeting.Id())).Str("title"));
    }

    [Fact]
    public async Task A_patch_as_plain_json_changes_only_the_fields_sent_and_a_time_change_bumps_sequence()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:00", "2025-11-11T16:00", "Visit to Tsinghua ICON", "site-visit");
        var sequence = meeting.Required("sequence").GetInt32();

        var moved = (await api.TryPatchEngagement(meeting.Id(), new { start = "2025-11-11T15:30", end = "2025-11-11T17:00" }, mediaType: "application/json")).Ok();

        Assert.Equal("Visit to Tsinghua ICON", moved.Str("title"));
        PlanningAssert.LocalTime("2025-11-11T15:30", moved.Required("start"));
        PlanningAssert.UtcTime("2025-11-11T07:30:00Z", moved.Required("startUtc"));
        PlanningAssert.UtcTime("2025-11-11T09:00:00Z", moved.Required("endUtc"));
        Assert.True(moved.Required("sequence").GetInt32() > sequence, moved.GetRawText());
    }

    [Fact]
    public async Task A_patch_that_puts_the_end_before_the_start_gets_400_and_changes_nothing()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:00", "Plenary");

        var result = await api.TryPatchEngagement(meeting.Id(), new { end = "2025-11-11T09:00" });
        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        PlanningAssert.Problem(result, HttpStatusCode.BadRequest);

        var read = await api.GetEngagement(meeting.Id());
        PlanningAssert.LocalTime("2025-11-11T12:00", read.Required("end"));
        Assert.Equal(meeting.VersionText(), read.VersionText());
    }

    [Fact]
    public async Task Patching_or_cancelling_an_unknown_engagement_is_404()
    {
        using var api = Api();
        PlanningAssert.Problem(await api.TryPatchEngagement(Guid.NewGuid().ToString(), new { title = "x" }), HttpStatusCode.NotFound);
        PlanningAssert.Problem(await api.TryPatchEngagement("not-a-uuid", new { title = "x" }), HttpStatusCode.NotFound);
        PlanningAssert.Problem(await api.Post($"/api/engagements/{Guid.NewGuid()}/cancel", new { reason = "x" }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Cancelling_keeps_the_engagement_with_status_cancelled()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:00", "2025-11-11T16:00", "Visit to Tsinghua ICON", "site-visit");

        var cancelled = await api.CancelEngagement(meeting.Id(), "The institute asked to move the visit to 2026.");
        Assert.Equal("cancelled", cancelled.Str("status"));

        Assert.Equal("cancelled", (await api.GetEngagement(meeting.Id())).Str("status"));
        Assert.Contains((await api.ListEngagements(jcm.ProgrammeId)).Items(), e => e.Id() == meeting.Id());
    }
}
