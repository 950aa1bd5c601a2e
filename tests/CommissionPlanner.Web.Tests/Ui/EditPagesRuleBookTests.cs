using System.Net;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Ui;

/// <summary>
/// The rule book's bugs (issue 14) through the web pages: the pages call the same commands as the API, so the same
/// change has the same outcome however a person makes it.
/// </summary>
public sealed partial class EditConflictPagesTests
{
    [Fact]
    public async Task Lowering_a_venues_capacity_on_its_page_below_the_people_attending_there_is_refused_and_saves_nothing()
    {
        using var admin = new PlanningClient(fixture.App.AdminClient());
        var world = await UiWorld.Create(admin);
        await admin.SetResponse(world.Plenary, world.Ellery, "accepted");
        var other = await world.Jcm.NewDelegate(admin, "Dr Second Place");
        await admin.AddAttendee(world.Plenary, other);
        await admin.SetResponse(world.Plenary, other, "accepted");
        using var browser = await SignedIn();
        var path = $"/venues/{world.Jcm.Diaoyutai}/edit";

        var form = await Get(browser, path);
        using var response = await Browserish.Post(browser, path, Fields(form, ("capacity", "1")));
        var html = await response.Content.ReadAsStringAsync(Cancel);

        Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{(int)response.StatusCode}\n{html}");
        Assert.Contains("cannot be lowered to 1", html, StringComparison.Ordinal);
        Assert.Equal(200, (await admin.GetJson($"/api/venues/{world.Jcm.Diaoyutai}")).Required("capacity").GetInt32());
        Assert.All((await admin.GetAttendees(world.Plenary)).Items(), a => Assert.Equal("attending", a.Str("attendance")));
    }

    [Fact]
    public async Task A_rejection_stands_when_the_venue_is_unflagged_and_the_host_changed_on_their_pages()
    {
        using var admin = new PlanningClient(fixture.App.AdminClient());
        using var reviewer = new PlanningClient(fixture.App.ClientWithKey(await admin.CreateKey("RCAT reviewer", "reviewer")));
        var world = await UiWorld.Create(admin);
        (await admin.Patch($"/api/venues/{world.Jcm.Tsinghua}", new { sensitive = true })).Ok();
        var visit = (await admin.CreateMeeting(world.Jcm.ProgrammeId, world.Jcm.Tsinghua, "2025-11-11T15:30", "2025-11-11T17:00", "Lab visit",
            "site-visit", areas: ["climate-environment"])).Id();
        (await reviewer.Post($"/api/engagements/{visit}/review", new { decision = "rejected", note = "Dual-use risk." })).Ok();
        using var browser = await SignedIn();

        var venuePage = $"/venues/{world.Jcm.Tsinghua}/edit";
        var venueForm = await Get(browser, venuePage);
        using (var unflagged = await Browserish.Post(browser, venuePage, [.. Fields(venueForm).Where(f => f.Name != "sensitive")]))
        {
            Assert.Equal(HttpStatusCode.Redirect, unflagged.StatusCode);
        }

        Assert.Equal("required", (await admin.GetEngagement(visit)).Prop("review").Str("status"));
        var engagementPage = $"/engagements/{visit}/edit";
        using (var rehosted = await Browserish.Post(browser, engagementPage, Fields(await Get(browser, engagementPage), ("Form.Host", "Another host"))))
        {
            Assert.Equal(HttpStatusCode.Redirect, rehosted.StatusCode);
        }

        var after = await admin.GetEngagement(visit);
        Assert.Equal("Another host", after.Str("host"));
        Assert.Equal("required", after.Prop("review").Str("status"));
        PlanningAssert.Problem(await admin.Post($"/api/engagements/{visit}/confirm", null), HttpStatusCode.Conflict);
    }
}
