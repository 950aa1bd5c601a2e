using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;

namespace CommissionPlanner.Web.Tests.Feeds;

public sealed class FeedOrganizerTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Organiser_feeds_name_the_configured_organizer_and_a_persons_feed_does_not()
    {
        using var api = new PlanningClient(fixture.App.AdminClient());
        var scenario = await FeedScenario.Create(api);
        var programmeFeed = (await api.Post($"/api/programmes/{scenario.ProgrammeId}/feeds", null)).Created();
        var personFeed = (await api.Post($"/api/people/{scenario.PersonId}/feeds", null)).Created();

        using var anonymous = fixture.App.CreateClient();
        var programme = await anonymous.GetStringAsync(new Uri(programmeFeed.Str("url")).PathAndQuery, Cancel);
        var person = await anonymous.GetStringAsync(new Uri(personFeed.Str("url")).PathAndQuery, Cancel);

        Assert.Contains("ORGANIZER;CN=Joint Commission secretariat:mailto:secretariat@example.org", programme.Replace("\r\n ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("ORGANIZER", person, StringComparison.Ordinal);
    }
}
