using System.Net;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;
using Npgsql;

namespace CommissionPlanner.Web.Tests.Feeds;

/// <summary>What feeds leave in (and read from) the database: hashed tokens, and the 30-day life of a cancellation.</summary>
public sealed class FeedStorageTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private PlanningClient Api() => new(fixture.App.AdminClient());

    private FeedClient Feeds => new(fixture.App);

    [Fact]
    public async Task A_feed_token_is_stored_only_as_a_hash_and_never_shown_again()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId);
        var token = feed.Url.Segments[^1][..^".ics".Length];
        (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);

        await using var connection = new NpgsqlConnection(fixture.App.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM feeds f WHERE row_to_json(f)::text LIKE '%' || @t || '%' OR encode(f.token_hash, 'escape') LIKE '%' || @t || '%'",
            connection);
        command.Parameters.AddWithValue("t", token);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync(Cancel))!);

        var listed = await api.Get($"/api/feeds?subjectId={world.PersonId}");
        listed.Expect(HttpStatusCode.OK);
        Assert.DoesNotContain(token, listed.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(token, (await api.Get($"/api/feeds/{feed.Id}")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_engagement_stays_in_feeds_for_30_days_after_the_cancellation_then_leaves()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var person = await FeedClient.Create(api, "people", world.PersonId);
        var programme = await FeedClient.Create(api, "programmes", world.ProgrammeId);
        await api.CancelEngagement(world.PlenaryId, "Postponed.");

        await BackdateCancellation(world, TimeSpan.FromDays(29));
        Assert.True(FeedText.HasEventFor(await Feeds.Calendar(person.Url), world.PlenaryId), "Cancelled 29 days ago, it already left the person's feed.");
        Assert.True(FeedText.HasEventFor(await Feeds.Calendar(programme.Url), world.PlenaryId), "Cancelled 29 days ago, it already left the programme feed.");

        await BackdateCancellation(world, TimeSpan.FromDays(31));
        Assert.False(FeedText.HasEventFor(await Feeds.Calendar(person.Url), world.PlenaryId), "Cancelled 31 days ago, it is still in the person's feed.");
        Assert.False(FeedText.HasEventFor(await Feeds.Calendar(programme.Url), world.PlenaryId), "Cancelled 31 days ago, it is still in the programme feed.");
    }

    /// <summary>Moves the cancellation into the past, and marks the programme changed as every planning write does.</summary>
    private async Task BackdateCancellation(FeedScenario world, TimeSpan ago)
    {
        await using var connection = new NpgsqlConnection(fixture.App.ConnectionString);
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand(
            "UPDATE engagements SET cancelled_at = now() - @ago WHERE id = @id; UPDATE programmes SET change_stamp = change_stamp + 1 WHERE id = @p;",
            connection);
        command.Parameters.AddWithValue("ago", ago);
        command.Parameters.AddWithValue("id", Guid.Parse(world.PlenaryId));
        command.Parameters.AddWithValue("p", Guid.Parse(world.ProgrammeId));
        Assert.Equal(2, await command.ExecuteNonQueryAsync(Cancel));
        // Written past the silo, as another silo would: a poll within a second may still be answered from memory
        // (FeedService's revalidation interval); the one after it asks PostgreSQL.
        await Task.Delay(TimeSpan.FromSeconds(1.2), Cancel);
    }
}
