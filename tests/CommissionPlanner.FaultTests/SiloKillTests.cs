using System.Collections.Concurrent;
using System.Diagnostics;
using CommissionPlanner.FaultTests.Infrastructure;

namespace CommissionPlanner.FaultTests;

/// <summary>
/// Three silos; attendee adds, replies and reschedules flow through silos 1 and 2 while silo 3, which holds some of
/// the grains, is killed with SIGKILL. Its grains reactivate on the survivors; no acknowledged write is lost.
/// </summary>
public sealed class SiloKillTests : IAsyncLifetime
{
    private static readonly string[] Replies = ["accepted", "tentative", "declined"];

    private LocalCluster cluster = null!;

    public async ValueTask InitializeAsync() => cluster = await LocalCluster.StartAsync("faults-kill", silos: 3, portBase: 0);

    public async ValueTask DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task Killing_a_silo_mid_traffic_loses_no_acknowledged_write_duplicates_none_and_double_books_no_one()
    {
        var output = TestContext.Current.TestOutputHelper;
        using var first = new Api(cluster.Client(1), 1);
        using var second = new Api(cluster.Client(2), 2);
        Api[] survivors = [first, second];
        var plan = await Plan.Create(first, people: 10, meetings: 6);
        // Two overlapping meetings: a person may be booked on one of them, never both.
        var early = await Plan.CreateMeeting(first, plan.ProgrammeId, plan.VenueId, "Bilateral A", new DateTime(2025, 11, 12, 10, 0, 0), new DateTime(2025, 11, 12, 11, 0, 0));
        var late = await Plan.CreateMeeting(first, plan.ProgrammeId, plan.VenueId, "Bilateral B", new DateTime(2025, 11, 12, 10, 30, 0), new DateTime(2025, 11, 12, 11, 30, 0));

        // Work units: add a person to a meeting and reply for them; add everyone to both overlapping meetings.
        var random = new Random(20251111);
        var units = plan.Meetings.SelectMany((m, k) => plan.People.Select((p, i) => (Meeting: m.Id, Person: p, Reply: (string?)Replies[(i + k) % 3])))
            .Concat(plan.People.SelectMany(p => new[] { (Meeting: early.Id, Person: p, Reply: (string?)null), (Meeting: late.Id, Person: p, Reply: (string?)null) }))
            .OrderBy(_ => random.Next())
            .ToList();
        var queue = new ConcurrentQueue<(string Meeting, string Person, string? Reply)>(units);
        var ledger = new Ledger();
        var done = 0;
        var turn = 0;
        Api Next() => survivors[Interlocked.Increment(ref turn) % survivors.Length];
        var patience = TimeSpan.FromSeconds(45);

        async Task Worker()
        {
            while (queue.TryDequeue(out var unit))
            {
                var add = await ledger.Write(() => Next().Post($"/api/engagements/{unit.Meeting}/attendees", new { personId = unit.Person, role = "required" }), patience);
                if (add.Status == 201)
                {
                    ledger.AckedAdds[(unit.Meeting, unit.Person)] = true;
                    if (unit.Reply is { } reply)
                    {
                        var answer = await ledger.Write(() => Next().Patch($"/api/engagements/{unit.Meeting}/attendees/{unit.Person}", new { response = reply }), patience);
                        if (answer.Ok)
                        {
                            ledger.AckedReplies[(unit.Meeting, unit.Person)] = reply;
                        }
                    }
                }

                Interlocked.Increment(ref done);
                await Task.Delay(20);
            }
        }

        // Reschedules: each meeting moves a few times by five minutes, through either survivor.
        async Task Rescheduler()
        {
            for (var round = 1; round <= 4; round++)
            {
                foreach (var meeting in plan.Meetings)
                {
                    var start = meeting.Start.AddMinutes(5 * round);
                    await ledger.Write(() => Next().Patch($"/api/engagements/{meeting.Id}", new { start = Plan.Local(start), end = Plan.Local(start.AddHours(1)) }), patience);
                    await Task.Delay(50);
                }
            }
        }

        var killedAt = DateTime.MaxValue;
        async Task Killer()
        {
            while (Volatile.Read(ref done) < units.Count / 4)
            {
                await Task.Delay(20);
            }

            killedAt = DateTime.UtcNow;
            await cluster.KillSiloAsync(3);
            output?.WriteLine($"Killed silo 3 after {done} of {units.Count} units.");
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Worker(), Worker(), Worker(), Worker(), Rescheduler(), Killer());
        output?.WriteLine($"{units.Count} units and 24 reschedules in {clock.Elapsed.TotalSeconds:F1} s; {ledger.Answers.Count} answers: " +
            string.Join(", ", ledger.Answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()}×{g.Key}")));

        Assert.False(cluster.IsRunning(3));
        Assert.True(ledger.Unexpected().Count == 0,
            "Answers other than 2xx, 409 and 503:" + Environment.NewLine + string.Join(Environment.NewLine, ledger.Unexpected().Take(10).Select(a => a.Describe())) + Environment.NewLine + cluster.LogTails());
        Assert.All(ledger.Answers.Where(a => a.Status == 503), a => Assert.Equal("application/problem+json", a.MediaType));
        Assert.True(ledger.Answers.Count(a => a.Ok && a.StartedAt > killedAt) >= 20, "Writes did not go on after the kill.");

        // The survivors declare the dead silo dead (Orleans:Membership settings), and say so on the status page.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var status = await first.Get("/api/admin/cluster");
            Assert.True(status.Ok, status.Describe());
            var silos = status.Json.GetProperty("silos").EnumerateArray().ToList();
            var third = silos.Where(s => s.GetProperty("httpUrl").GetString() == cluster[3].Url.ToString().TrimEnd('/'))
                .OrderByDescending(s => s.GetProperty("startedAt").GetString(), StringComparer.Ordinal).First();
            if (third.GetProperty("status").GetString() == "dead")
            {
                Assert.Equal(2, status.Json.GetProperty("activeSilos").GetInt32());
                output?.WriteLine($"Silo 3 was declared dead {(DateTime.UtcNow - killedAt).TotalSeconds:F1} s after the kill (or earlier).");
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Silo 3 was not declared dead within 90 s: {status.Body}");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

        // A last reschedule of each meeting, after the dust settled, is the final state the feeds must show.
        var finalStarts = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        foreach (var meeting in plan.Meetings)
        {
            var start = meeting.Start.AddMinutes(40);
            var answer = await ledger.Write(() => Next().Patch($"/api/engagements/{meeting.Id}", new { start = Plan.Local(start), end = Plan.Local(start.AddHours(1)) }), patience);
            Assert.True(answer.Ok, answer.Describe());
            finalStarts[meeting.Id] = start;
        }

        finalStarts[early.Id] = early.Start;
        finalStarts[late.Id] = late.Start;

        // Every acknowledged write is there, once; nobody holds two overlapping times.
        await Database.AssertNothingAcknowledgedIsLost(cluster, plan.ProgrammeId, ledger);
        var doubleBookings = await Database.DoubleBookings(cluster, plan.ProgrammeId);
        Assert.True(doubleBookings.Count == 0, "Double bookings: " + string.Join("; ", doubleBookings));
        var rows = await Database.Attendees(cluster, plan.ProgrammeId);
        foreach (var person in plan.People)
        {
            Assert.True(rows.Keys.Count(k => k.Person == person && (k.Engagement == early.Id || k.Engagement == late.Id)) <= 1,
                $"{person} is on both overlapping meetings.");
        }

        // Feeds, fetched through either survivor, show the final state: the person's engagements (not declined) at their final times.
        foreach (var person in plan.People.Take(4))
        {
            var feed = await first.Must(HttpMethod.Post, $"/api/people/{person}/feeds", new { });
            var path = new Uri(feed.GetProperty("url").GetString()!).AbsolutePath;
            var expected = rows.Values.Where(r => r.Person == person && r.Response != "declined").Select(r => r.Engagement).Order(StringComparer.Ordinal).ToList();
            foreach (var api in survivors)
            {
                var calendar = await api.Get(path);
                Assert.True(calendar.Ok, calendar.Describe());
                var events = Ics.Events(calendar.Body);
                Assert.Equal(expected, events.Keys.Order(StringComparer.Ordinal).ToList());
                Assert.All(events, e => Assert.Equal(Ics.Stamp(finalStarts[e.Key]), e.Value));
            }
        }

        output?.WriteLine($"Held: {ledger.AckedAdds.Count} acknowledged adds and {ledger.AckedReplies.Count} replies all stored, none twice, no double booking.");
    }
}
