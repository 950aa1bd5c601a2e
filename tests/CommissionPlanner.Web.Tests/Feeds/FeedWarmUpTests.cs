using CommissionPlanner.Web.Tests.Security;

namespace CommissionPlanner.Web.Tests.Feeds;

/// <summary>A host with production's warm-up (60 renders; the other test hosts use 1).</summary>
public sealed class FeedWarmUpFixture : ConfiguredPlannerFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Planner:Feeds:WarmUpRenders"] = "60",
    };
}

public sealed class FeedWarmUpTests(FeedWarmUpFixture fixture) : IClassFixture<FeedWarmUpFixture>
{
    [Fact]
    public void The_feeds_warm_up_runs_at_start_reads_every_feed_query_and_renders_without_a_failure()
    {
        var logs = fixture.App.Logs.Messages;
        Assert.DoesNotContain(logs, m => m.Contains("warm-up failed", StringComparison.Ordinal));
        Assert.Single(logs, m => m.Contains("Feeds warmed up: queries compiled, the made-up feed rendered 60 times", StringComparison.Ordinal));
    }
}
