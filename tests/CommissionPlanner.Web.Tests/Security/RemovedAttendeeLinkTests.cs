using System.Net;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Security;

public sealed class RemovedAttendeeLinkFixture : ConfiguredPlannerFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Planner:RateLimits:ApiPerMinute"] = "100000",
        // Every answer from the database: the memory of unknown tokens would answer a link refused once for a minute anyway.
        ["Planner:RateLimits:FailedLookupMemorySeconds"] = "0",
    };
}

public sealed class RemovedAttendeeLinkTests(RemovedAttendeeLinkFixture fixture) : IClassFixture<RemovedAttendeeLinkFixture>
{
    [Fact]
    public async Task A_removed_attendees_reply_link_stops_working_for_good_while_their_own_feed_just_loses_the_engagement()
    {
        using var admin = new PlanningClient(fixture.App.ClientWithKey(PlannerApp.AdminKey));
        var jcm = await Jcm.SetUp(admin);
        var person = await jcm.NewDelegate(admin);
        var meeting = await admin.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:00", "Closed session on quantum sensing");
        var dinner = await admin.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T19:00", "2025-11-11T21:00", "Welcome dinner", "reception");
        await admin.AddAttendee(meeting.Id(), person);
        await admin.AddAttendee(dinner.Id(), person);
        var reply = new Uri((await admin.Post($"/api/engagements/{meeting.Id()}/attendees/{person}/reply-link", null)).Created().Str("url")).AbsolutePath;
        var feed = new Uri((await admin.Post($"/api/people/{person}/feeds", new { })).Created().Str("url")).AbsolutePath;
        using var anonymous = new PlanningClient(fixture.App.CreateClient());
        (await anonymous.Get(reply)).Ok();
        Assert.Contains("Closed session on quantum sensing", (await anonymous.Get(feed)).Expect(HttpStatusCode.OK).Text, StringComparison.Ordinal);

        (await admin.Send(HttpMethod.Delete, $"/api/engagements/{meeting.Id()}/attendees/{person}")).Expect(HttpStatusCode.NoContent);
        (await anonymous.Get(reply)).Expect(HttpStatusCode.NotFound);
        (await anonymous.Post(reply, new { response = "accepted" })).Expect(HttpStatusCode.NotFound);
        // Added back: the old link stays dead (whoever holds it was not invited again by it); a new link works.
        await admin.AddAttendee(meeting.Id(), person);
        (await anonymous.Get(reply)).Expect(HttpStatusCode.NotFound);
        (await anonymous.Post(reply, new { response = "declined" })).Expect(HttpStatusCode.NotFound);
        Assert.Equal("needs-action", (await admin.GetAttendees(meeting.Id())).Items().Single().Str("response"));
        var fresh = new Uri((await admin.Post($"/api/engagements/{meeting.Id()}/attendees/{person}/reply-link", null)).Created().Str("url")).AbsolutePath;
        (await anonymous.Post(fresh, new { response = "accepted" })).Ok();

        // The person's feed is the person's, not the engagement's: the contract keeps it working (only revoking ends it),
        // holding what they are invited to, so a removal takes that engagement out and leaves the rest.
        (await admin.Send(HttpMethod.Delete, $"/api/engagements/{meeting.Id()}/attendees/{person}")).Expect(HttpStatusCode.NoContent);
        await Task.Delay(1100, TestContext.Current.CancellationToken);
        var calendar = (await anonymous.Get(feed)).Expect(HttpStatusCode.OK).Text;
        Assert.DoesNotContain("Closed session on quantum sensing", calendar, StringComparison.Ordinal);
        Assert.Contains("Welcome dinner", calendar, StringComparison.Ordinal);
    }
}
