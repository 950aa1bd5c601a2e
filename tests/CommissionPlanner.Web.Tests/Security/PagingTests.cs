using System.Net;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Security;

public sealed class PagingTests(RemovedAttendeeLinkFixture fixture) : IClassFixture<RemovedAttendeeLinkFixture>
{
    [Fact]
    public async Task An_engagements_history_pages_with_limit_and_cursor_and_stays_an_array_without_them()
    {
        using var admin = new PlanningClient(fixture.App.ClientWithKey(PlannerApp.AdminKey));
        var jcm = await Jcm.SetUp(admin);
        var meeting = await admin.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:00");
        for (var i = 0; i < 4; i++)
        {
            await admin.AddAttendee(meeting.Id(), await jcm.NewDelegate(admin, $"Delegate {i}"));
        }

        var path = $"/api/engagements/{meeting.Id()}/history";
        var all = (await admin.GetJson(path)).Items().Select(e => e.Prop("id").GetInt64()).ToList();
        Assert.Equal(5, all.Count);

        var seen = new List<long>();
        var next = path + "?limit=2";
        var pages = 0;
        while (next is not null)
        {
            using var response = await admin.Http.GetAsync(new Uri(next, UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var items = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
            Assert.Equal(System.Text.Json.JsonValueKind.Array, items.ValueKind);
            Assert.InRange(items.GetArrayLength(), 1, 2);
            seen.AddRange(items.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
            next = response.Headers.TryGetValues("Link", out var links)
                ? System.Text.RegularExpressions.Regex.Match(links.Single(), "<([^>]+)>; rel=\"next\"").Groups[1].Value
                : null;
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(all, seen);
        PlanningAssert.Problem(await admin.Get(path + "?cursor=abc"), HttpStatusCode.BadRequest, "cursor");
        PlanningAssert.Problem(await admin.Get($"/api/audit?limit=0"), HttpStatusCode.BadRequest, "limit");
    }
}
