using System.Collections.Concurrent;
using CommissionPlanner.FaultTests.Infrastructure;

namespace CommissionPlanner.FaultTests;

/// <summary>
/// Attendee adds, each with its own Idempotency-Key, go through all three silos while silo 3 (serving requests and holding
/// grains) is killed with SIGKILL. A client that gets no answer, a 503, or "still being handled" sends the same add again
/// with the same key through another silo, until it gets an answer. Every add must end as 201, applied once: a retry
/// whose first attempt had applied the add gets its answer rebuilt, not "already on the list".
/// </summary>
public sealed class IdempotentRetryKillTests : IAsyncLifetime
{
    private LocalCluster cluster = null!;

    public async ValueTask InitializeAsync() => cluster = await LocalCluster.StartAsync("faults-retry", silos: 3, portBase: 100);

    public async ValueTask DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task Adds_retried_with_their_keys_after_a_silo_kill_are_each_applied_once_and_answered_201()
    {
        var output = TestContext.Current.TestOutputHelper;
        var apis = Enumerable.Range(1, 3).Select(i => new Api(cluster.Client(i), i)).ToArray();
        try
        {
            // Enough adds that the kill, a third of the way through, lands while many are in flight even when the killer's
            // turn comes late on a loaded machine (with 160 it once came only after the last add).
            var plan = await Plan.Create(apis[0], people: 16, meetings: 20);
            var units = new ConcurrentQueue<(string Meeting, string Person, string Key)>(
                plan.Meetings.SelectMany(m => plan.People.Select(p => (m.Id, p, $"add-{m.Id}-{p}"))).OrderBy(u => u.Item3.GetHashCode(StringComparison.Ordinal)));
            var total = units.Count;
            var finals = new ConcurrentDictionary<(string Meeting, string Person), Answer>();
            var retried = new ConcurrentBag<(Answer First, Answer Final)>();
            var answers = new ConcurrentBag<Answer>();
            var done = 0;
            var turn = 0;
            var killed = false;

            // First attempts go round all three silos, the killed one too, as a client without health checks would: those
            // sent to silo 3 as it dies or after get no answer. Retries go to another silo than the one that failed, and
            // not to silo 3 once it is known dead.
            Api Through(int avoid = 0)
            {
                while (true)
                {
                    var api = apis[Interlocked.Increment(ref turn) % apis.Length];
                    if (api.Silo != avoid && !(avoid != 0 && Volatile.Read(ref killed) && api.Silo == 3))
                    {
                        return api;
                    }
                }
            }

            async Task Worker()
            {
                while (units.TryDequeue(out var unit))
                {
                    var path = $"/api/engagements/{unit.Meeting}/attendees";
                    var body = new { personId = unit.Person, role = "required" };
                    var api = Through();
                    var answer = await api.PostKeyed(path, body, unit.Key);
                    answers.Add(answer);
                    var first = answer;
                    var deadline = DateTime.UtcNow.AddSeconds(90);
                    // No answer, a server error, or the first attempt still held: the same request, the same key, another silo.
                    while (answer.Status is 0 or 503 || (answer.Status == 409 && answer.RetryAfter is not null))
                    {
                        Assert.True(DateTime.UtcNow < deadline, $"No final answer within 90 s: {answer.Describe()}");
                        await Task.Delay(250);
                        answer = await Through(avoid: answer.Silo).PostKeyed(path, body, unit.Key);
                        answers.Add(answer);
                    }

                    if (!ReferenceEquals(first, answer))
                    {
                        retried.Add((first, answer));
                    }

                    finals[(unit.Meeting, unit.Person)] = answer;
                    Interlocked.Increment(ref done);
                }
            }

            async Task Killer()
            {
                while (Volatile.Read(ref done) < total / 3)
                {
                    await Task.Delay(10);
                }

                await cluster.KillSiloAsync(3);
                Volatile.Write(ref killed, true);
                output?.WriteLine($"Killed silo 3 after {Volatile.Read(ref done)} of {total} adds.");
            }

            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Worker()).Append(Killer()));
            output?.WriteLine($"{answers.Count} answers: " + string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()}×{g.Key}")));
            output?.WriteLine($"{retried.Count} adds were sent again: " + string.Join("; ", retried.Take(8).Select(r => $"{r.First.Status} on silo {r.First.Silo} → {r.Final.Status}")));

            Assert.False(cluster.IsRunning(3));
            Assert.False(retried.IsEmpty, "No add was interrupted by the kill: the test proved nothing.");
            var notCreated = finals.Values.Where(a => a.Status != 201).ToList();
            Assert.True(notCreated.Count == 0, "Adds whose final answer was not 201:" + Environment.NewLine +
                string.Join(Environment.NewLine, notCreated.Take(10).Select(a => a.Describe())) + Environment.NewLine + cluster.LogTails());

            var rows = await Database.Attendees(cluster, plan.ProgrammeId);
            Assert.Equal(total, finals.Count);
            Assert.Equal(total, rows.Count);
            var duplicates = await Database.DuplicatedAdds(cluster, plan.ProgrammeId);
            Assert.True(duplicates.Count == 0, "Adds applied twice: " + string.Join("; ", duplicates));
        }
        finally
        {
            foreach (var api in apis)
            {
                api.Dispose();
            }
        }
    }
}
