using System.Collections.Concurrent;
using CommissionPlanner.FaultTests.Infrastructure;

namespace CommissionPlanner.FaultTests;

/// <summary>
/// Two silos; PostgreSQL is stopped in the middle of a stream of writes and started again. While it is down every
/// request answers 503 problem details (never 500); afterwards the same silo processes, not restarted, take
/// writes again, and every acknowledged write is stored.
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private LocalCluster cluster = null!;

    public async ValueTask InitializeAsync() => cluster = await LocalCluster.StartAsync("faults-db", silos: 2, portBase: 20);

    public async ValueTask DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task Stopping_postgres_during_writes_answers_503_then_recovers_without_restarting_silos_and_loses_nothing()
    {
        var output = TestContext.Current.TestOutputHelper;
        using var first = new Api(cluster.Client(1), 1);
        using var second = new Api(cluster.Client(2), 2);
        Api[] silos = [first, second];
        var pids = cluster.Silos.Select(s => s.Pid).ToList();
        var plan = await Plan.Create(first, people: 8, meetings: 5);
        var units = plan.Meetings.SelectMany((m, k) => plan.People.Select((p, i) => (Meeting: m.Id, Person: p, Reply: (i + k) % 2 == 0 ? "accepted" : "tentative"))).ToList();
        var queue = new ConcurrentQueue<(string Meeting, string Person, string Reply)>(units);
        var ledger = new Ledger();
        var done = 0;
        var turn = 0;
        Api Next() => silos[Interlocked.Increment(ref turn) % silos.Length];
        // Long enough to wait out the outage: a client that retries on 503 as Retry-After asks.
        var patience = TimeSpan.FromSeconds(90);

        // A quarter of the units go through before the outage; the rest wait until PostgreSQL is down, so that however
        // slow the machine (the outage's own setup takes several requests), writes are made during and after it.
        var outageBegun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task Worker()
        {
            while (true)
            {
                if (Volatile.Read(ref done) >= units.Count / 4)
                {
                    await outageBegun.Task;
                }

                if (!queue.TryDequeue(out var unit))
                {
                    break;
                }

                var add = await ledger.Write(() => Next().Post($"/api/engagements/{unit.Meeting}/attendees", new { personId = unit.Person, role = "required" }), patience);
                if (add.Status == 201)
                {
                    ledger.AckedAdds[(unit.Meeting, unit.Person)] = true;
                    var reply = await ledger.Write(() => Next().Patch($"/api/engagements/{unit.Meeting}/attendees/{unit.Person}", new { response = unit.Reply }), patience);
                    if (reply.Ok)
                    {
                        ledger.AckedReplies[(unit.Meeting, unit.Person)] = unit.Reply;
                    }
                }

                Interlocked.Increment(ref done);
                await Task.Delay(100);
            }
        }

        // Reads during the outage too: a programme, an engagement's list, an itinerary (read once before, so its grain holds it).
        var reads = new ConcurrentBag<Answer>();
        // Calendar clients poll without credentials, through silo 1.
        using var calendarClient = new HttpClient { BaseAddress = cluster[1].Url, Timeout = TimeSpan.FromSeconds(30) };
        var feedsWhileDown = new ConcurrentBag<(string Feed, FeedPoll Poll)>();
        FeedPoll before = null!;
        async Task<(string Id, string Path)> FeedPath(string person)
        {
            var feed = await first.Must(HttpMethod.Post, $"/api/people/{person}/feeds", new { });
            return (feed.GetProperty("id").GetString()!, new Uri(feed.GetProperty("url").GetString()!).AbsolutePath);
        }

        async Task<FeedPoll> Poll((string Id, string Path) feed, string? etag = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(feed.Path, UriKind.Relative));
            if (etag is not null)
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            }

            using var response = await calendarClient.SendAsync(request);
            return new FeedPoll((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.ETag?.ToString(),
                response.Headers.TryGetValues("X-Planner-Stale", out var stale) ? string.Join(",", stale) : null, response.Headers.Age);
        }

        var stoppedAt = DateTime.MaxValue;
        var restartingAt = DateTime.MaxValue;
        async Task Outage()
        {
            while (Volatile.Read(ref done) < units.Count / 4)
            {
                await Task.Delay(20);
            }

            // Asked for before the outage, on both silos' way in: the itinerary grain has loaded the person's bookings.
            Assert.Equal(200, (await Next().Get($"/api/people/{plan.People[0]}/itinerary")).Status);
            // Feeds: one polled through silo 1, one polled there and then revoked there, one never polled there.
            var polled = await FeedPath(plan.People[0]);
            var revoked = await FeedPath(plan.People[1]);
            var unpolled = await FeedPath(plan.People[2]);
            before = await Poll(polled);
            Assert.Equal(200, before.Status);
            Assert.Equal(200, (await Poll(revoked)).Status);
            var revokedId = revoked.Id;
            Assert.True((await first.Send(HttpMethod.Delete, $"/api/feeds/{revokedId}", null)).Ok);
            await cluster.StopPostgresAsync();
            stoppedAt = DateTime.UtcNow;
            outageBegun.TrySetResult();
            output?.WriteLine($"PostgreSQL stopped after {done} of {units.Count} units.");
            var downSince = DateTime.UtcNow;
            while (DateTime.UtcNow - downSince < TimeSpan.FromSeconds(6))
            {
                reads.Add(await Next().Get($"/api/programmes/{plan.ProgrammeId}"));
                reads.Add(await Next().Get($"/api/engagements/{plan.Meetings[0].Id}/attendees"));
                reads.Add(await Next().Get($"/api/people/{plan.People[0]}/itinerary"));
                feedsWhileDown.Add(("polled", await Poll(polled)));
                feedsWhileDown.Add(("polled, If-None-Match", await Poll(polled, before.ETag)));
                feedsWhileDown.Add(("revoked", await Poll(revoked)));
                feedsWhileDown.Add(("never polled here", await Poll(unpolled)));
                feedsWhileDown.Add(("/health/feeds", await Poll((string.Empty, "/health/feeds"))));
                feedsWhileDown.Add(("/health/ready", await Poll((string.Empty, "/health/ready"))));
                await Task.Delay(300);
            }

            restartingAt = DateTime.UtcNow;
            await cluster.StartPostgresAsync();
            output?.WriteLine("PostgreSQL started again.");
        }

        async Task OutageThenRelease()
        {
            try
            {
                await Outage();
            }
            finally
            {
                // A failed assertion before the outage must not leave the workers waiting for ever.
                outageBegun.TrySetResult();
            }
        }

        await Task.WhenAll(Worker(), Worker(), OutageThenRelease());
        var restartedAt = restartingAt;
        output?.WriteLine($"{ledger.Answers.Count} write answers: " +
            string.Join(", ", ledger.Answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()}×{g.Key}")));

        // While it was down: 503 problem details with Retry-After, for writes and reads alike, except the itinerary. Its
        // grain holds the person's bookings in memory, and no write can commit while the database is down, so what it
        // holds is still the truth: it answers 200 (its comparisons with the database fail off the request path, and are
        // asked again).
        var whileDown = ledger.Answers.Concat(reads).Where(a => a.StartedAt > stoppedAt && a.EndedAt < restartingAt).ToList();
        Assert.True(whileDown.Count >= 10, $"Only {whileDown.Count} requests were answered while PostgreSQL was down.");
        static bool Itinerary(Answer a) => a.Request.Contains("/itinerary", StringComparison.Ordinal);
        Assert.Contains(whileDown, a => Itinerary(a) && a.Status == 200);
        var wrong = whileDown.Where(a => !(Itinerary(a) && a.Status == 200))
            .Where(a => a.Status != 503 || a.MediaType != "application/problem+json" || a.RetryAfter is null).ToList();
        Assert.True(wrong.Count == 0, "While PostgreSQL was down, not 503 problem details with Retry-After:" + Environment.NewLine
            + string.Join(Environment.NewLine, wrong.Take(10).Select(a => a.Describe())));
        Assert.True(ledger.Unexpected().Count == 0, "Answers other than 2xx, 409 and 503:" + Environment.NewLine
            + string.Join(Environment.NewLine, ledger.Unexpected().Take(10).Select(a => a.Describe())) + Environment.NewLine + cluster.LogTails());
        Assert.DoesNotContain(reads, a => a.Status is not (200 or 503));

        // Feeds while it was down, from silo 1's memory: the last good answer, marked stale with its Age, and its 304;
        // a feed this silo saw revoked answers 404; one it never served cannot be known, so 503. /health/feeds stays 200
        // while /health/ready is 503.
        Assert.True(feedsWhileDown.Count >= 12, $"Only {feedsWhileDown.Count} feed polls while PostgreSQL was down.");
        foreach (var (feed, poll) in feedsWhileDown)
        {
            switch (feed)
            {
                case "polled":
                    Assert.True(poll.Status == 200 && poll.Body == before.Body && poll.ETag == before.ETag && poll.Stale == "database-unreachable" && poll.Age is not null,
                        $"{feed}: {poll}");
                    break;
                case "polled, If-None-Match":
                    Assert.True(poll.Status == 304 && poll.Stale == "database-unreachable", $"{feed}: {poll}");
                    break;
                case "revoked":
                    Assert.True(poll.Status == 404, $"{feed}: {poll}");
                    break;
                case "/health/feeds":
                    // Readiness for calendars holds; readiness for writes does not.
                    Assert.True(poll.Status == 200, $"{feed}: {poll}");
                    break;
                default:
                    Assert.True(poll.Status == 503, $"{feed}: {poll}");
                    break;
            }
        }

        // Afterwards: writes succeed again through the same processes, and every unit got through in the end.
        Assert.True(ledger.Answers.Count(a => a.Ok && a.StartedAt > restartedAt) >= 5, "Writes did not succeed again after PostgreSQL restarted.");
        Assert.Equal(pids, cluster.Silos.Select(s => s.Pid).ToList());
        Assert.True(cluster.IsRunning(1) && cluster.IsRunning(2), "A silo stopped during the outage:" + Environment.NewLine + cluster.LogTails());
        foreach (var api in silos)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!(await api.Get("/health/ready")).Ok)
            {
                Assert.True(DateTime.UtcNow < deadline, $"Silo {api.Silo} is not ready again 30 s after PostgreSQL restarted.");
                await Task.Delay(500, TestContext.Current.CancellationToken);
            }
        }

        await Database.AssertNothingAcknowledgedIsLost(cluster, plan.ProgrammeId, ledger);
        var rows = await Database.Attendees(cluster, plan.ProgrammeId);
        Assert.Equal(units.Count, rows.Count);
        output?.WriteLine($"Held: {whileDown.Count} answers while down, all 503 but the itinerary's from memory; {ledger.AckedAdds.Count} acknowledged adds and {ledger.AckedReplies.Count} replies stored.");
    }
}

/// <summary>One calendar poll's answer.</summary>
public sealed record FeedPoll(int Status, string Body, string? ETag, string? Stale, TimeSpan? Age);
