using System.Net;
using System.Net.Http.Headers;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Feeds;

/// <summary>Who may create feeds, errors for bad subjects and input, and the single-engagement .ics download.</summary>
public sealed class FeedAccessTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private PlanningClient Api() => new(fixture.App.AdminClient());

    private FeedClient Feeds => new(fixture.App);

    [Fact]
    public async Task A_delegate_key_can_create_a_feed_for_itself_but_gets_404_for_another_person()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var colleague = await world.Jcm.NewDelegate(api, "Dr Samuel Okafor");
        var colleagueFeed = await FeedClient.Create(api, "people", colleague);
        using var self = new PlanningClient(fixture.App.ClientWithKey(await api.CreateKey("Margaret's phone", "delegate", world.PersonId)));

        var own = await FeedClient.Create(self, "people", world.PersonId);
        var calendar = await Feeds.Calendar(own.Url);
        Assert.True(FeedText.HasEventFor(calendar, world.PlenaryId));
        Assert.Equal("person", (await self.GetJson($"/api/feeds/{own.Id}")).Str("scope"));

        PlanningAssert.Problem(await FeedClient.TryCreate(self, "people", colleague), HttpStatusCode.NotFound);
        // Nor may the delegate see, revoke or rotate someone else's feed.
        PlanningAssert.Problem(await self.Get($"/api/feeds/{colleagueFeed.Id}"), HttpStatusCode.NotFound);
        PlanningAssert.Problem(await self.Send(HttpMethod.Delete, $"/api/feeds/{colleagueFeed.Id}"), HttpStatusCode.NotFound);
        PlanningAssert.Problem(await self.Post($"/api/feeds/{colleagueFeed.Id}/rotate", null), HttpStatusCode.NotFound);
        (await Feeds.Fetch(colleagueFeed.Url)).Expect(HttpStatusCode.OK);

        // Organiser-level feeds are not for delegates.
        Assert.Equal(HttpStatusCode.Forbidden, (await FeedClient.TryCreate(self, "programmes", world.ProgrammeId)).Status);

        // The delegate can revoke its own feed.
        (await self.Send(HttpMethod.Delete, $"/api/feeds/{own.Id}")).Expect(HttpStatusCode.NoContent);
        (await Feeds.Fetch(own.Url)).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_viewer_gets_403_creating_a_programme_feed()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        using var viewer = new PlanningClient(fixture.App.ClientWithKey(await api.CreateKey("press office", "viewer")));

        PlanningAssert.Problem(await FeedClient.TryCreate(viewer, "programmes", world.ProgrammeId), HttpStatusCode.Forbidden);
        PlanningAssert.Problem(await FeedClient.TryCreate(viewer, "delegations", world.Jcm.DelegationId), HttpStatusCode.Forbidden);
        PlanningAssert.Problem(await FeedClient.TryCreate(viewer, "engagements", world.PlenaryId), HttpStatusCode.Forbidden);
        PlanningAssert.Problem(await FeedClient.TryCreate(viewer, "people", world.PersonId), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Creating_a_feed_without_a_key_gets_401_while_the_feed_url_needs_none()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId);
        using var anonymous = new PlanningClient(fixture.App.CreateClient());

        Assert.Equal(HttpStatusCode.Unauthorized, (await FeedClient.TryCreate(anonymous, "people", world.PersonId)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Get($"/api/feeds/{feed.Id}")).Status);
        (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("people")]
    [InlineData("delegations")]
    [InlineData("programmes")]
    [InlineData("engagements")]
    public async Task Creating_a_feed_for_an_unknown_subject_id_answers_404(string route)
    {
        using var api = Api();

        PlanningAssert.Problem(await FeedClient.TryCreate(api, route, Guid.NewGuid().ToString()), HttpStatusCode.NotFound);
        PlanningAssert.Problem(await FeedClient.TryCreate(api, route, "not-a-uuid"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Feed_resources_with_unknown_ids_answer_404()
    {
        using var api = Api();

        PlanningAssert.Problem(await api.Get($"/api/feeds/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        PlanningAssert.Problem(await api.Get("/api/feeds/not-a-uuid"), HttpStatusCode.NotFound);
        PlanningAssert.Problem(await api.Send(HttpMethod.Delete, $"/api/feeds/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        PlanningAssert.Problem(await api.Post($"/api/feeds/{Guid.NewGuid()}/rotate", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_detail_other_than_full_or_busy_answers_400_naming_detail()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);

        var loud = await FeedClient.TryCreate(api, "people", world.PersonId, "loud");

        PlanningAssert.Problem(loud, HttpStatusCode.BadRequest, "detail");
        var feeds = await api.GetJson($"/api/feeds?subjectId={world.PersonId}");
        Assert.Empty(feeds.Items());
    }

    [Theory]
    [InlineData("{\"detail\": 5}")]
    [InlineData("{\"detail\": ")]
    [InlineData("\"busy\"")]
    public async Task Creating_a_feed_with_a_malformed_body_answers_400_not_500(string body)
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);

        PlanningAssert.Problem(await api.PostRaw($"/api/people/{world.PersonId}/feeds", body), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Creating_a_feed_with_no_body_or_an_empty_object_gives_a_full_feed()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);

        var noBody = await FeedClient.Create(api, "people", world.PersonId);
        var emptyObject = FeedClient.Parse(await api.PostRaw($"/api/people/{world.PersonId}/feeds", "{}"));

        Assert.Equal("full", noBody.Json.Str("detail"));
        Assert.Equal("full", emptyObject.Json.Str("detail"));
        Assert.NotEqual(noBody.Url, emptyObject.Url);
    }

    [Fact]
    public async Task Downloading_an_engagement_as_ics_gives_text_calendar_with_that_engagements_UID()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var colleague = await world.Jcm.NewDelegate(api, "Dr Samuel Okafor");
        await api.AddAttendee(world.PlenaryId, colleague);
        await api.CreateMeeting(world.ProgrammeId, world.Jcm.Tsinghua, "2025-11-12T14:00", "2025-11-12T15:00", "Another meeting");

        using var response = await api.Http.GetAsync(new Uri($"/api/engagements/{world.PlenaryId}/ics", UriKind.Relative), Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet, ignoreCase: true);
        var vevent = Assert.Single(FeedText.Events(text));
        Assert.StartsWith(world.PlenaryId, FeedText.UidOf(vevent), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(FeedScenario.PlenaryTitle, FeedText.Value(vevent, "SUMMARY"));

        // The UID is the one the feeds use, so "add to my calendar" and a subscription do not duplicate it.
        var feed = await Feeds.Calendar((await FeedClient.Create(api, "people", world.PersonId)).Url);
        Assert.Equal(FeedText.UidOf(FeedText.EventFor(feed, world.PlenaryId)), FeedText.UidOf(vevent));

        PlanningAssert.Problem(await api.Get($"/api/engagements/{Guid.NewGuid()}/ics"), HttpStatusCode.NotFound);
        PlanningAssert.Problem(await api.Get("/api/engagements/not-a-uuid/ics"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_viewer_may_download_an_engagement_ics()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        using var viewer = new PlanningClient(fixture.App.ClientWithKey(await api.CreateKey("press office", "viewer")));

        var asViewer = await viewer.Send(HttpMethod.Get, $"/api/engagements/{world.PlenaryId}/ics",
            configure: r => r.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/calendar")));

        Assert.Equal(HttpStatusCode.OK, asViewer.Status);
        Assert.Equal("text/calendar", asViewer.MediaType);
        Assert.True(FeedText.HasEventFor(asViewer.Text, world.PlenaryId));
    }
}
