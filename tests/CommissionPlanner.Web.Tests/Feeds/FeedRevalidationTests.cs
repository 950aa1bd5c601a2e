using System.Net;
using CommissionPlanner.Data;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CommissionPlanner.Web.Tests.Feeds;

/// <summary>
/// A feed polled again and again while PostgreSQL is slow: one poll waits for it, the others answer from memory. And the
/// poll's own bookkeeping (FeedFetches) does not send the feeds held in memory back to PostgreSQL, nor does a change to
/// another programme (LocalWrites). They depend on <see cref="LocalWrites.Version"/> standing still, so they run alone.
/// </summary>
[Collection(nameof(LocalWritesAloneCollection))]
public sealed class FeedRevalidationTests(PlannerFixture fixture) : IClassFixture<PlannerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private PlanningClient Api() => new(fixture.App.AdminClient());

    private FeedClient Feeds => new(fixture.App);

    [Fact]
    public async Task While_one_poll_waits_for_the_database_the_next_is_answered_from_memory()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId);
        // A background write of this host (its timers) would send every feed in memory back to PostgreSQL (LocalWrites):
        // a try that meets one starts again. Without the rule, every try fails.
        var outcomes = new List<string>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);
            // Past the revalidation interval, so the next poll asks PostgreSQL; a lock on the table makes it wait there.
            await Task.Delay(TimeSpan.FromSeconds(1.2), Cancel);
            await using var connection = new NpgsqlConnection(fixture.App.ConnectionString);
            await connection.OpenAsync(Cancel);
            await using var transaction = await connection.BeginTransactionAsync(Cancel);
            await using (var lockFeeds = new NpgsqlCommand("LOCK TABLE feeds IN ACCESS EXCLUSIVE MODE", connection, transaction))
            {
                await lockFeeds.ExecuteNonQueryAsync(Cancel);
            }

            var revalidating = Feeds.Fetch(feed.Url);
            await Task.Delay(TimeSpan.FromMilliseconds(300), Cancel);
            var waited = !revalidating.IsCompleted;
            var next = Feeds.Fetch(feed.Url);
            var fromMemory = await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(1), Cancel)) == next;
            await transaction.RollbackAsync(Cancel);
            (await revalidating).Expect(HttpStatusCode.OK);
            (await next).Expect(HttpStatusCode.OK);
            if (waited && fromMemory)
            {
                return;
            }

            outcomes.Add($"the revalidating poll {(waited ? "waited for the lock" : "did not wait")}, the next poll {(fromMemory ? "answered at once" : "waited too")}");
        }

        Assert.Fail("No try showed one poll waiting for PostgreSQL while the next answered from memory: " + string.Join("; ", outcomes));
    }

    [Fact]
    public async Task A_change_to_one_programme_leaves_another_programmes_feeds_in_memory_and_its_own_are_read_again_at_once()
    {
        using var api = Api();
        var watched = await FeedScenario.Create(api);
        var busy = await FeedScenario.Create(api, "Dr Helen Marsh");
        var feed = await FeedClient.Create(api, "people", watched.PersonId);
        // A try that a second boundary (the 1 s revalidation) or a timer's write falls into starts again.
        var outcomes = new List<string>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            (await Feeds.Fetch(feed.Url)).Expect(HttpStatusCode.OK);
            await using var connection = new NpgsqlConnection(fixture.App.ConnectionString);
            await connection.OpenAsync(Cancel);
            await using var transaction = await connection.BeginTransactionAsync(Cancel);
            await using (var lockFeeds = new NpgsqlCommand("LOCK TABLE feeds IN ACCESS EXCLUSIVE MODE", connection, transaction))
            {
                await lockFeeds.ExecuteNonQueryAsync(Cancel);
            }

            // A change to the other programme: the watched feed's answer in memory stands, so this poll never meets the lock.
            await api.CreateMeeting(busy.ProgrammeId, busy.Jcm.Diaoyutai, "2025-11-12T09:00", "2025-11-12T10:00", $"Elsewhere {attempt}");
            var unaffected = Feeds.Fetch(feed.Url);
            var fromMemory = await Task.WhenAny(unaffected, Task.Delay(TimeSpan.FromMilliseconds(500), Cancel)) == unaffected;

            // A change to the watched programme: the very next poll asks PostgreSQL, so it waits for the lock.
            await api.CreateMeeting(watched.ProgrammeId, watched.Jcm.Diaoyutai, "2025-11-12T11:00", "2025-11-12T12:00", $"Here {attempt}");
            var affected = Feeds.Fetch(feed.Url);
            var readAgain = await Task.WhenAny(affected, Task.Delay(TimeSpan.FromMilliseconds(500), Cancel)) != affected;

            await transaction.RollbackAsync(Cancel);
            (await unaffected).Expect(HttpStatusCode.OK);
            (await affected).Expect(HttpStatusCode.OK);
            if (fromMemory && readAgain)
            {
                return;
            }

            outcomes.Add($"after the other programme's change the poll {(fromMemory ? "answered from memory" : "asked PostgreSQL")}, "
                + $"after its own programme's change it {(readAgain ? "asked PostgreSQL" : "answered from memory")}");
        }

        Assert.Fail("No try showed the programmes' changes kept apart: " + string.Join("; ", outcomes));
    }

    [Fact]
    public async Task A_polls_fetch_record_is_not_counted_as_a_local_write()
    {
        using var api = Api();
        var world = await FeedScenario.Create(api);
        var feed = await FeedClient.Create(api, "people", world.PersonId);
        var before = LocalWrites.Version;
        await FeedFetches.RecordAsync(
            fixture.App.Services.GetRequiredService<NpgsqlDataSource>(),
            new FeedFetch(Guid.Parse(feed.Id), "\"tag\"", NodaTime.Instant.FromUtc(2025, 11, 11, 2, 0), NodaTime.Instant.FromUtc(2025, 11, 11, 2, 0), "test", 1),
            Cancel);
        Assert.Equal(before, LocalWrites.Version);

        var shown = await api.Get($"/api/feeds/{feed.Id}");
        shown.Expect(HttpStatusCode.OK);
        Assert.Equal("2025-11-11T02:00:00Z", shown.Json.Str("lastFetchedAt"));
        Assert.Equal("2025-11-11T02:00:00Z", shown.Json.Str("contentChangedAt"));
        Assert.Equal("test", shown.Json.Str("lastUserAgent"));
        Assert.Equal(1, shown.Json.GetProperty("fetchCount").GetInt64());
    }
}
