using CommissionPlanner.FaultTests.Infrastructure;

namespace CommissionPlanner.FaultTests;

/// <summary>Two silos, one engagement, two edits with the same If-Match sent at once: one wins, the other gets 409.</summary>
public sealed class ConcurrentEditTests : IAsyncLifetime
{
    private LocalCluster cluster = null!;

    public async ValueTask InitializeAsync() => cluster = await LocalCluster.StartAsync("faults-edit", silos: 2, portBase: 40);

    public async ValueTask DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task Edits_through_two_silos_with_the_same_If_Match_one_wins_and_the_other_gets_409()
    {
        using var first = new Api(cluster.Client(1), 1);
        using var second = new Api(cluster.Client(2), 2);
        var plan = await Plan.Create(first, people: 0, meetings: 1);
        var id = plan.Meetings[0].Id;

        for (var round = 1; round <= 8; round++)
        {
            var current = await (round % 2 == 0 ? first : second).Must(HttpMethod.Get, $"/api/engagements/{id}", null);
            var version = current.GetProperty("version").ToString();
            var results = await Task.WhenAll(
                first.Patch($"/api/engagements/{id}", new { title = $"Plenary, round {round}, via silo 1" }, version),
                second.Patch($"/api/engagements/{id}", new { title = $"Plenary, round {round}, via silo 2" }, version));

            var summary = string.Join(Environment.NewLine, results.Select(r => r.Describe()));
            Assert.True(results.Count(r => r.Status == 200) == 1, $"Round {round}: not exactly one 200:{Environment.NewLine}{summary}");
            Assert.True(results.Count(r => r.Status == 409) == 1, $"Round {round}: not exactly one 409:{Environment.NewLine}{summary}");
            var loser = results.Single(r => r.Status == 409);
            Assert.Equal("application/problem+json", loser.MediaType);
            var winner = results.Single(r => r.Status == 200).Json;

            // Both silos now show the winner's edit.
            foreach (var api in new[] { first, second })
            {
                var stored = await api.Must(HttpMethod.Get, $"/api/engagements/{id}", null);
                Assert.Equal(winner.GetProperty("title").GetString(), stored.GetProperty("title").GetString());
                Assert.Equal(winner.GetProperty("version").ToString(), stored.GetProperty("version").ToString());
                Assert.NotEqual(version, stored.GetProperty("version").ToString());
            }
        }
    }
}
