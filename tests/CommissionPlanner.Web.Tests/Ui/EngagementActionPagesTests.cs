using System.Net;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Ui;

/// <summary>The engagement page's actions present the command's refusal as the API would state it.</summary>
public sealed class EngagementActionPagesTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    [Fact]
    public async Task A_refused_invite_answers_400_and_says_which_field_is_wrong()
    {
        using var admin = new PlanningClient(fixture.App.AdminClient());
        var world = await UiWorld.Create(admin);
        using var browser = Browserish.Client(fixture.App);
        await Browserish.SignIn(browser, PlannerApp.AdminKey);
        var path = $"/engagements/{world.Plenary}";
        var token = await Browserish.Token(browser, path);

        using var response = await Browserish.Post(browser, $"{path}?handler=Invite",
            ("__RequestVerificationToken", token), ("personId", world.Wang), ("role", "boss"));
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}\n{html}");
        Assert.Contains("&#x27;role&#x27; must be", html, StringComparison.Ordinal);
        Assert.DoesNotContain(world.Wang, (await admin.GetAttendees(world.Plenary)).Items().Select(a => a.Str("personId")));
    }
}
