using System.Net;
using System.Net.Http.Json;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Attendance;

public sealed class RepliesAndPromotionsTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private PlanningClient Api() => new(fixture.App.AdminClient());

    [Fact]
    public async Task A_reply_link_shows_the_engagement_and_records_a_reply_without_a_key()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Amelia Hart");
        var visit = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:30", "2025-11-11T17:00", "Tsinghua visit", "site-visit");
        await api.AddAttendee(visit.Id(), person);
        var link = (await api.Post($"/api/engagements/{visit.Id()}/attendees/{person}/reply-link", null)).Created();
        var url = new Uri(link.Str("url"));

        using var anonymous = fixture.App.CreateClient();
        var page = await anonymous.GetFromJsonAsync<ReplyView>(url.PathAndQuery, Cancel);
        Assert.Equal("Tsinghua visit", page!.Title);
        Assert.Equal("needs-action", page.Response);
        Assert.Equal("Dr Amelia Hart", page.FullName);

        using var posted = await anonymous.PostAsJsonAsync(url.PathAndQuery, new { response = "accepted" }, Cancel);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal("accepted", (await posted.Content.ReadFromJsonAsync<ReplyView>(Cancel))!.Response);
        var attendee = Assert.Single((await api.GetAttendees(visit.Id())).Items());
        Assert.Equal("accepted", attendee.Str("response"));
    }

    [Fact]
    public async Task Unknown_malformed_revoked_and_replaced_reply_links_all_answer_404()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Owen Price");
        var visit = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:30", "2025-11-11T17:00", "Visit", "site-visit");
        await api.AddAttendee(visit.Id(), person);
        var first = (await api.Post($"/api/engagements/{visit.Id()}/attendees/{person}/reply-link", null)).Created();
        var second = (await api.Post($"/api/engagements/{visit.Id()}/attendees/{person}/reply-link", null)).Created();
        using var revoke = await fixture.App.AdminClient().DeleteAsync(new Uri($"/api/reply-links/{second.Id()}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        using var anonymous = fixture.App.CreateClient();
        foreach (var path in new[]
        {
            new Uri(first.Str("url")).PathAndQuery,   // replaced by the second link
            new Uri(second.Str("url")).PathAndQuery,  // revoked
            "/reply/" + new string('A', 43),          // well-formed but unknown
            "/reply/not-a-token",                    // malformed
        })
        {
            using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative), Cancel);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_reply_on_a_cancelled_engagement_is_409_and_a_reply_for_someone_not_invited_is_404()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Helen Marsh");
        var stranger = await jcm.NewDelegate(api, "Dr Not Invited");
        var visit = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:30", "2025-11-11T17:00", "Visit", "site-visit");
        await api.AddAttendee(visit.Id(), person);

        PlanningAssert.Problem(await api.TrySetResponse(visit.Id(), stranger, "accepted"), HttpStatusCode.NotFound);
        PlanningAssert.Problem(await api.TrySetResponse(Guid.NewGuid().ToString(), person, "accepted"), HttpStatusCode.NotFound);
        PlanningAssert.Problem(await api.TrySetResponse(visit.Id(), person, "maybe"), HttpStatusCode.BadRequest, "response");

        await api.CancelEngagement(visit.Id(), "The institute is closed that day.");
        PlanningAssert.Problem(await api.TrySetResponse(visit.Id(), person, "accepted"), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Promotions_from_the_waiting_list_are_recorded_for_a_decline_a_removal_and_a_raised_capacity()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var people = new List<string>();
        foreach (var name in new[] { "Dr A First", "Dr B Second", "Dr C Third", "Dr D Fourth" })
        {
            people.Add(await jcm.NewDelegate(api, name));
        }

        var visit = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:30", "2025-11-11T17:00", "Small visit", "site-visit", capacity: 1);
        foreach (var person in people)
        {
            await api.AddAttendee(visit.Id(), person);
            await api.SetResponse(visit.Id(), person, "accepted");
        }

        Assert.Equal(["attending", "waiting", "waiting", "waiting"], Attendance(await api.GetAttendees(visit.Id()), people));

        await api.SetResponse(visit.Id(), people[0], "declined");              // B promoted
        using (var admin = fixture.App.AdminClient())
        {
            using var removed = await admin.DeleteAsync(new Uri($"/api/engagements/{visit.Id()}/attendees/{people[1]}", UriKind.Relative), Cancel);
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);     // C promoted
        }

        await api.PatchEngagement(visit.Id(), new { capacity = 2 });           // D promoted

        var promotions = (await api.GetJson($"/api/engagements/{visit.Id()}/promotions")).Items();
        Assert.Equal([people[1], people[2], people[3]], promotions.Select(p => p.Str("personId")));
        Assert.All(promotions, p => Assert.False(string.IsNullOrEmpty(p.Str("reason"))));
        var list = (await api.GetAttendees(visit.Id())).Items();
        Assert.Equal(2, list.Count(a => a.Str("attendance") == "attending"));
    }

    [Fact]
    public async Task Concurrent_acceptances_for_the_last_place_give_it_to_exactly_one()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var visit = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:30", "2025-11-11T17:00", "Last place", "site-visit", capacity: 1);
        var people = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var person = await jcm.NewDelegate(api, $"Dr Racer {i}");
            await api.AddAttendee(visit.Id(), person);
            people.Add(person);
        }

        var results = await Task.WhenAll(people.Select(p => api.TrySetResponse(visit.Id(), p, "accepted")));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        var attendance = (await api.GetAttendees(visit.Id())).Items().Select(a => a.Str("attendance")).ToList();
        Assert.Single(attendance, a => a == "attending");
        Assert.Equal(7, attendance.Count(a => a == "waiting"));
    }

    [Fact]
    public async Task Logistics_are_for_organisers_only_and_never_in_feeds()
    {
        using var api = Api();
        var jcm = await Jcm.SetUp(api);
        var person = await jcm.NewDelegate(api, "Dr Priya Sandhu");
        var recorded = await api.Send(HttpMethod.Put, $"/api/people/{person}/logistics",
            JsonContent.Create(new { dietary = "Vegetarian, no nuts", accessibility = "Step-free access", interpreterLanguage = "zh", nationality = "gb", securityClearance = "SC" }));
        var logistics = recorded.Ok();
        Assert.Equal("GB", logistics.Str("nationality"));
        Assert.Equal("Vegetarian, no nuts", logistics.Str("dietary"));

        PlanningAssert.Problem(await api.Send(HttpMethod.Put, $"/api/people/{person}/logistics", JsonContent.Create(new { nationality = "Britain" })),
            HttpStatusCode.BadRequest, "nationality");

        var viewerKey = await api.CreateKey("viewer", "viewer");
        using var viewer = new PlanningClient(fixture.App.ClientWithKey(viewerKey));
        PlanningAssert.Problem(await viewer.Get($"/api/people/{person}/logistics"), HttpStatusCode.Forbidden);
        var delegateKey = await api.CreateKey("self", "delegate", person);
        using var self = new PlanningClient(fixture.App.ClientWithKey(delegateKey));
        PlanningAssert.Problem(await self.Get($"/api/people/{person}/logistics"), HttpStatusCode.Forbidden);

        var visit = await api.CreateMeeting(jcm.ProgrammeId, jcm.Tsinghua, "2025-11-11T15:30", "2025-11-11T17:00", "Visit", "site-visit");
        await api.AddAttendee(visit.Id(), person);
        var feed = (await api.Post($"/api/programmes/{jcm.ProgrammeId}/feeds", null)).Created();
        using var anonymous = fixture.App.CreateClient();
        var ics = await anonymous.GetStringAsync(new Uri(feed.Str("url")).PathAndQuery, Cancel);
        Assert.Contains("Dr Priya Sandhu", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("Vegetarian", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("Step-free", ics, StringComparison.Ordinal);
    }

    private static List<string> Attendance(System.Text.Json.JsonElement list, List<string> order)
    {
        var byPerson = list.Items().ToDictionary(a => a.Str("personId"), a => a.Str("attendance"));
        return [.. order.Select(p => byPerson[p])];
    }

    private sealed record ReplyView(string Title, string Response, string FullName);
}
