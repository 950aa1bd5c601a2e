using System.Net;
using System.Text;
using System.Text.Json;
using CommissionPlanner.Web.Tests.Feeds;
using CommissionPlanner.Web.Tests.Infrastructure;

namespace CommissionPlanner.Web.Tests.Planning;

/// <summary>PATCH for programmes, venues, delegations and people: merge semantics, If-Match, validation, audit, feeds.</summary>
public sealed class EditTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private PlanningClient Api() => new(fixture.App.AdminClient());

    private FeedClient Feeds => new(fixture.App);

    [Fact]
    public async Task A_programme_patch_changes_only_the_fields_sent_answers_200_with_an_ETag_and_is_audited()
    {
        using var api = Api();
        var programme = await api.CreateProgramme();
        var id = programme.Id();

        using var content = new StringContent("""{"name": "12th Joint Commission", "endDate": "2025-11-14"}""", Encoding.UTF8, "application/merge-patch+json");
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/programmes/{id}") { Content = content };
        using var response = await api.Http.SendAsync(request, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var updated = JsonDocument.Parse(text).RootElement;
        Assert.Equal("12th Joint Commission", updated.Str("name"));
        Assert.Equal("2025-11-10", updated.Str("startDate"));
        Assert.Equal("2025-11-14", updated.Str("endDate"));
        Assert.Equal("Asia/Shanghai", updated.Str("timeZone"));
        Assert.Equal(2, updated.Required("version").GetInt32());
        Assert.Equal("\"2\"", response.Headers.ETag?.ToString());

        var audit = (await api.GetJson($"/api/audit?entity={id}")).Items();
        var entry = Assert.Single(audit, a => a.Str("action") == "updated");
        Assert.Equal(Jcm.ProgrammeName, entry.Prop("before").Str("name"));
        Assert.Equal("12th Joint Commission", entry.Prop("after").Str("name"));

        // application/json is accepted too, and the spec's rules apply to the merged result.
        PlanningAssert.Problem(await api.Patch($"/api/programmes/{id}", new { endDate = "2025-11-01" }, mediaType: "application/json"), HttpStatusCode.BadRequest, "endDate");
        var areas = (await api.Patch($"/api/programmes/{id}", new { areas = new[] { "health" } }, mediaType: "application/json")).Ok();
        Assert.Equal(["health"], areas.Required("areas").Items().Select(a => a.GetString()!));
    }

    [Fact]
    public async Task A_stale_If_Match_is_409_with_the_current_version_and_a_fresh_one_succeeds()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        (await api.Patch($"/api/delegations/{jcm.DelegationId}", new { name = "UK team" }, ifMatch: "1")).Ok();

        var stale = await api.Patch($"/api/delegations/{jcm.DelegationId}", new { name = "United Kingdom" }, ifMatch: "1");
        PlanningAssert.Problem(stale, HttpStatusCode.Conflict);
        Assert.Equal(2, stale.Json.Required("currentVersion").GetInt32());

        var fresh = (await api.Patch($"/api/delegations/{jcm.DelegationId}", new { name = "United Kingdom", country = "gb" }, ifMatch: "2")).Ok();
        Assert.Equal("United Kingdom", fresh.Str("name"));
        Assert.Equal("GB", fresh.Str("country"));
        Assert.Equal(3, fresh.Required("version").GetInt32());

        PlanningAssert.Problem(await api.Patch($"/api/programmes/{jcm.ProgrammeId}", new { name = "x" }, ifMatch: "7"), HttpStatusCode.Conflict);
        PlanningAssert.Problem(await api.Patch($"/api/venues/{jcm.Diaoyutai}", new { capacity = 10 }, ifMatch: "7"), HttpStatusCode.Conflict);
        var person = await jcm.NewDelegate(api, "Dr Stale Version");
        PlanningAssert.Problem(await api.Patch($"/api/people/{person}", new { title = "x" }, ifMatch: "7"), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Unknown_fields_and_bad_values_are_400_naming_the_field_and_unknown_ids_404()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Bad Field");

        PlanningAssert.Problem(await api.Patch($"/api/programmes/{jcm.ProgrammeId}", new { colour = "blue" }), HttpStatusCode.BadRequest, "colour");
        PlanningAssert.Problem(await api.Patch($"/api/venues/{jcm.Diaoyutai}", new { floor = 3 }), HttpStatusCode.BadRequest, "floor");
        PlanningAssert.Problem(await api.Patch($"/api/venues/{jcm.Diaoyutai}", new { latitude = 123.0 }), HttpStatusCode.BadRequest, "latitude");
        PlanningAssert.Problem(await api.Patch($"/api/delegations/{jcm.DelegationId}", new { country = "XX1" }), HttpStatusCode.BadRequest, "country");
        PlanningAssert.Problem(await api.Patch($"/api/people/{person}", new { role = "emperor" }), HttpStatusCode.BadRequest, "role");
        PlanningAssert.Problem(await api.Patch($"/api/people/{person}", new { shoeSize = 44 }), HttpStatusCode.BadRequest, "shoeSize");
        PlanningAssert.Problem(await api.Patch($"/api/people/{person}", new { protocolOrder = 99 }), HttpStatusCode.BadRequest, "protocolOrder");
        PlanningAssert.Problem(await api.Patch($"/api/people/{person}", new { fullName = (string?)null }), HttpStatusCode.BadRequest, "fullName");

        foreach (var kind in new[] { "programmes", "venues", "delegations", "people" })
        {
            PlanningAssert.Problem(await api.Patch($"/api/{kind}/{Guid.NewGuid()}", new { name = "x" }), HttpStatusCode.NotFound);
            PlanningAssert.Problem(await api.Patch($"/api/{kind}/not-a-uuid", new { name = "x" }), HttpStatusCode.NotFound);
        }

        // Nothing was changed by the refusals.
        Assert.Equal(1, (await api.GetJson($"/api/venues/{jcm.Diaoyutai}")).Required("version").GetInt32());
    }

    [Fact]
    public async Task A_member_patch_keeps_emails_unique_in_the_delegation_and_is_audited()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var first = await api.AddMember(jcm.DelegationId, "Dr First Member", email: "first.member@example.org");
        var second = await api.AddMember(jcm.DelegationId, "Dr Second Member");

        var taken = await api.Patch($"/api/people/{second.Id()}", new { email = "First.Member@example.org" });
        PlanningAssert.Problem(taken, HttpStatusCode.Conflict, "email");

        var updated = (await api.Patch($"/api/people/{second.Id()}", new { title = "Chief Scientific Adviser", localName = "第二", role = "official" })).Ok();
        Assert.Equal("Chief Scientific Adviser", updated.Str("title"));
        Assert.Equal("第二", updated.Str("localName"));
        Assert.Equal("official", updated.Str("role"));
        Assert.Equal("Dr Second Member", updated.Str("fullName"));

        // Keeping one's own e-mail is not a clash.
        (await api.Patch($"/api/people/{first.Id()}", new { email = "first.member@example.org", fullName = "Dr First Member FRS" })).Ok();

        var audit = (await api.GetJson($"/api/audit?entity={second.Id()}")).Items();
        var entry = Assert.Single(audit, a => a.Str("action") == "updated");
        Assert.Equal("Delegate", entry.Prop("before").Str("title"));
        Assert.Equal("Chief Scientific Adviser", entry.Prop("after").Str("title"));
    }

    [Fact]
    public async Task Moving_a_member_in_protocol_order_renumbers_the_others_one_to_n()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var a = (await api.AddMember(jcm.DelegationId, "Member A", "head")).Id();
        var b = (await api.AddMember(jcm.DelegationId, "Member B")).Id();
        var c = (await api.AddMember(jcm.DelegationId, "Member C")).Id();
        var d = (await api.AddMember(jcm.DelegationId, "Member D")).Id();

        var moved = (await api.Patch($"/api/people/{d}", new { protocolOrder = 2 })).Ok();
        Assert.Equal(2, moved.Required("protocolOrder").GetInt32());
        await AssertOrder(api, jcm.DelegationId, [a, d, b, c]);

        (await api.Patch($"/api/people/{a}", new { protocolOrder = 4 })).Ok();
        await AssertOrder(api, jcm.DelegationId, [d, b, c, a]);

        (await api.Patch($"/api/people/{c}", new { protocolOrder = 1 })).Ok();
        await AssertOrder(api, jcm.DelegationId, [c, d, b, a]);
    }

    [Fact]
    public async Task Moving_a_venue_bumps_its_engagements_sequence_and_changes_the_feeds_LOCATION()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var meeting = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T10:00", "2025-11-11T12:00", "Lab visit");
        var feed = await FeedClient.Create(api, "engagements", meeting.Id());
        var before = FeedText.EventFor(await Feeds.Calendar(feed.Url), meeting.Id());
        var sequenceBefore = FeedText.Sequence(before);
        var stampBefore = await ChangeStamp(jcm.ProgrammeId);

        // Capacity is not shown in feeds: the programme is marked changed, but SEQUENCE stays.
        (await api.Patch($"/api/venues/{jcm.Tsinghua}", new { capacity = 80 })).Ok();
        Assert.Equal(0, (await api.GetEngagement(meeting.Id())).Required("sequence").GetInt32() - meeting.Required("sequence").GetInt32());
        Assert.True(await ChangeStamp(jcm.ProgrammeId) > stampBefore);

        var venue = (await api.Patch($"/api/venues/{jcm.Tsinghua}", new { name = "Tsinghua University East Gate", address = "1 Zhongguancun East Road, Beijing", latitude = 40.0050 })).Ok();
        Assert.Equal("Tsinghua University East Gate", venue.Str("name"));
        Assert.Equal(80, venue.Required("capacity").GetInt32());
        Assert.Equal(3, venue.Required("version").GetInt32());

        var engagement = await api.GetEngagement(meeting.Id());
        Assert.Equal(meeting.Required("sequence").GetInt32() + 1, engagement.Required("sequence").GetInt32());
        Assert.Equal("Tsinghua University East Gate", engagement.Prop("venue").Str("name"));

        var after = FeedText.EventFor(await Feeds.Calendar(feed.Url), meeting.Id());
        Assert.True(FeedText.Sequence(after) > sequenceBefore);
        var location = FeedText.UnescapeText(FeedText.Value(after, "LOCATION")!);
        Assert.Contains("Tsinghua University East Gate", location, StringComparison.Ordinal);
        Assert.NotEqual(FeedText.Value(before, "LOCATION"), FeedText.Value(after, "LOCATION"));

        var audit = (await api.GetJson($"/api/audit?entity={jcm.Tsinghua}")).Items();
        Assert.Equal(2, audit.Count(a => a.Str("action") == "updated"));
        Assert.Contains(audit, a => a.Str("action") == "updated" && a.Prop("after").Str("name") == "Tsinghua University East Gate");
    }

    private static async Task AssertOrder(PlanningClient api, string delegationId, string[] expected)
    {
        var members = (await api.GetJson($"/api/delegations/{delegationId}")).Required("members").Items();
        Assert.Equal(expected, members.Select(m => m.Id()));
        Assert.Equal(Enumerable.Range(1, expected.Length), members.Select(m => m.Required("protocolOrder").GetInt32()));
    }

    private async Task<long> ChangeStamp(string programmeId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.App.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new Npgsql.NpgsqlCommand("SELECT change_stamp + (SELECT count(*) FROM programme_change_marks WHERE programme_id = @id) FROM programmes WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", Guid.Parse(programmeId));
        return (long)(await command.ExecuteScalarAsync(Cancel))!;
    }
}
