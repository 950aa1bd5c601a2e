using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace CommissionPlanner.Benchmarks;

/// <summary>
/// The client side of deploy/perf/fault-drill.sh: writers adding attendees (each add with its own Idempotency-Key, sent
/// again with that key after no answer, a 5xx or "still being handled") and calendar clients polling feeds, through the
/// nginx in front of the silos, for a bounded time while the script kills silos and PostgreSQL. Then it checks, through
/// the API and SQL, that no acknowledged write was lost, none applied twice, nobody double-booked, and prints
/// <c>name = value</c> lines.
/// </summary>
public static class FaultDrill
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = Options.Parse(args);
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30), MaxConnectionsPerServer = 64 })
        {
            BaseAddress = new Uri(options.BaseUrl),
            Timeout = TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Key);

        var plan = await Seed(http, options);
        Log($"seeded {plan.People.Count} people, {plan.Meetings.Count} meetings, {plan.FeedPaths.Count} feeds");
        if (options.ReadyFile is { } ready)
        {
            await File.WriteAllTextAsync(ready, "seeded\n");
        }

        var units = new ConcurrentQueue<(string Meeting, string Person)>(
            plan.Meetings.SelectMany(m => plan.People.Select(p => (m, p))).OrderBy(_ => Random.Shared.Next()));
        var writes = new ConcurrentBag<Write>();
        var polls = new ConcurrentBag<int>();
        var deadline = DateTime.UtcNow.AddSeconds(options.Seconds);

        async Task Writer()
        {
            while (DateTime.UtcNow < deadline && units.TryDequeue(out var unit))
            {
                writes.Add(await AddWithRetries(http, unit.Meeting, unit.Person, $"drill-{Guid.NewGuid():N}"));
                // Organisers' pace, not a load test: about 20 adds a second per writer.
                await Task.Delay(40);
            }
        }

        async Task Poller(int index)
        {
            var etags = new Dictionary<string, string>(StringComparer.Ordinal);
            var turn = index;
            while (DateTime.UtcNow < deadline)
            {
                var path = plan.FeedPaths[turn++ % plan.FeedPaths.Count];
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                // Half the polls as a calendar client that has the feed already (If-None-Match), half without.
                if (turn % 2 == 0 && etags.TryGetValue(path, out var etag))
                {
                    request.Headers.TryAddWithoutValidation("If-None-Match", etag);
                }

                try
                {
                    using var response = await http.SendAsync(request);
                    await response.Content.ReadAsByteArrayAsync();
                    polls.Add((int)response.StatusCode);
                    if (response.Headers.ETag is { } tag)
                    {
                        etags[path] = tag.ToString();
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    polls.Add(0);
                }

                await Task.Delay(20);
            }
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Writers).Select(_ => Writer())
            .Concat(Enumerable.Range(0, options.Pollers).Select(Poller)));
        Log($"traffic ended after {clock.Elapsed.TotalSeconds:F0} s");
        if (options.DoneFile is { } done)
        {
            await File.WriteAllTextAsync(done, "done\n");
        }

        // Writes left without a final answer (their patience ran out during an outage) are sent once more with their key,
        // now that the cluster is whole: the planner answers whether they were applied.
        var settled = new List<Write>();
        foreach (var write in writes)
        {
            settled.Add(write.Final is 0 or >= 500 ? write with { Final = (await AddWithRetries(http, write.Meeting, write.Person, write.Key)).Final, Settled = true } : write);
        }

        await Report(options, plan, settled, [.. polls]);
        return 0;
    }

    private static async Task<Write> AddWithRetries(HttpClient http, string meeting, string person, string key)
    {
        var body = JsonSerializer.Serialize(new { personId = person, role = "required" });
        var until = DateTime.UtcNow + Patience;
        var statuses = new List<int>();
        var started = Stopwatch.StartNew();
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/engagements/{meeting}/attendees")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
            int status;
            var retryAfter = false;
            try
            {
                using var response = await http.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                status = (int)response.StatusCode;
                retryAfter = response.Headers.RetryAfter is not null;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                status = 0;
            }

            statuses.Add(status);
            var again = status is 0 or >= 500 || (status == 409 && retryAfter);
            if (!again || DateTime.UtcNow > until)
            {
                return new Write(meeting, person, key, statuses, status, started.Elapsed, Settled: false);
            }

            await Task.Delay(statuses.Count < 5 ? 200 : 1000);
        }
    }

    private static async Task Report(Options options, DrillPlan plan, List<Write> writes, int[] polls)
    {
        await using var data = NpgsqlDataSource.Create(options.ConnectionString);
        var rows = new HashSet<(string, string)>();
        await using (var read = data.CreateCommand(
            "SELECT a.engagement_id::text, a.person_id::text FROM attendees a JOIN engagements e ON e.id = a.engagement_id WHERE e.programme_id = $1"))
        {
            read.Parameters.Add(new() { Value = Guid.Parse(plan.ProgrammeId) });
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var duplicates = await Count(data, plan.ProgrammeId,
            """
            SELECT count(*) FROM (SELECT 1 FROM audit_entries WHERE action = 'attendee-added' AND programme_id = $1
            GROUP BY entity_id, after ->> 'personId' HAVING count(*) > 1) d
            """);
        var doubleBookings = await Count(data, plan.ProgrammeId,
            """
            SELECT count(*) FROM attendees a
            JOIN attendees b ON b.person_id = a.person_id AND b.engagement_id > a.engagement_id
            JOIN engagements e ON e.id = a.engagement_id
            WHERE e.programme_id = $1 AND a.holds_time AND b.holds_time AND a.occupied && b.occupied
            """);

        var acknowledged = writes.Where(w => w.Final == 201).ToList();
        var lost = acknowledged.Count(w => !rows.Contains((w.Meeting, w.Person)));
        // An add refused as a clash (409 without Retry-After) is a right answer, not a failure; it must not be stored.
        var refused = writes.Where(w => w.Final == 409).ToList();
        var refusedButStored = refused.Count(w => rows.Contains((w.Meeting, w.Person)));
        var interrupted = writes.Where(w => w.Statuses.Any(s => s is 0 or >= 500)).ToList();
        var ambiguous = writes.Count(w => w.Final is not (201 or 409));
        var stored = rows.Count;
        var feedOk = polls.Count(s => s is 200 or 304);

        Console.WriteLine(Line("feed polls", polls.Length));
        Console.WriteLine(Line("feed 200s", polls.Count(s => s == 200)));
        Console.WriteLine(Line("feed 304s", polls.Count(s => s == 304)));
        Console.WriteLine(Line("feed failures", polls.Length - feedOk));
        Console.WriteLine(Line("feed failures by status", string.Join(" ", polls.Where(s => s is not (200 or 304)).GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))));
        Console.WriteLine(Line("feed success ratio", Ratio(feedOk, polls.Length)));
        Console.WriteLine(Line("writes", writes.Count));
        Console.WriteLine(Line("writes acknowledged", acknowledged.Count));
        Console.WriteLine(Line("writes refused as clashes", refused.Count));
        Console.WriteLine(Line("write success ratio", Ratio(acknowledged.Count + refused.Count, writes.Count)));
        Console.WriteLine(Line("writes that got 5xx or no answer", interrupted.Count));
        Console.WriteLine(Line("of which retried to success with their key", interrupted.Count(w => w.Final == 201)));
        Console.WriteLine(Line("of which refused as clashes", interrupted.Count(w => w.Final == 409)));
        Console.WriteLine(Line("write attempts", writes.Sum(w => w.Statuses.Count)));
        Console.WriteLine(Line("write attempts by status", string.Join(" ", writes.SelectMany(w => w.Statuses).GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))));
        Console.WriteLine(Line("longest write with retries ms", writes.Count == 0 ? 0 : (int)writes.Max(w => w.Took.TotalMilliseconds)));
        Console.WriteLine(Line("attendees stored", stored));
        Console.WriteLine(Line("acknowledged writes lost", lost));
        Console.WriteLine(Line("refused writes stored", refusedButStored));
        Console.WriteLine(Line("duplicates", duplicates));
        Console.WriteLine(Line("double bookings", doubleBookings));
        Console.WriteLine(Line("ambiguous writes", ambiguous));
        Console.WriteLine(Line("stored attendees no write acknowledged", rows.Count - acknowledged.Count(w => rows.Contains((w.Meeting, w.Person)))));
    }

    private static string Line(string name, object value) => $"{name} = {Convert.ToString(value, CultureInfo.InvariantCulture)}";

    private static string Ratio(int part, int whole) => whole == 0 ? "n/a" : (part / (double)whole).ToString("F5", CultureInfo.InvariantCulture);

    private static async Task<long> Count(NpgsqlDataSource data, string programmeId, string sql)
    {
        await using var command = data.CreateCommand(sql);
        command.Parameters.Add(new() { Value = Guid.Parse(programmeId) });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A programme of meetings (an hour each, every 75 minutes, a few pairs overlapping) and its people, with feeds.</summary>
    private static async Task<DrillPlan> Seed(HttpClient http, Options options)
    {
        const string zone = "Asia/Shanghai";
        var programme = await Must(http, "/api/programmes", new
        {
            name = "Fault drill: 11th UK–China Joint Commission",
            startDate = "2025-11-10",
            endDate = "2025-11-30",
            timeZone = zone,
        });
        var venue = await Must(http, "/api/venues", new
        {
            name = "Diaoyutai State Guesthouse",
            address = "2 Fucheng Road, Haidian District, Beijing 100830",
            city = "Beijing",
            country = "CN",
            timeZone = zone,
            latitude = 39.9169,
            longitude = 116.3279,
            capacity = 5000,
        });
        var delegation = await Must(http, $"/api/programmes/{programme}/delegations", new { name = "UK delegation", country = "GB" });
        var people = new List<string>();
        for (var i = 0; i < options.People; i++)
        {
            people.Add(await Must(http, $"/api/delegations/{delegation}/members", new
            {
                fullName = $"Delegate {i + 1}",
                organisation = "Department for Science, Innovation and Technology",
                title = "Delegate",
                email = $"drill{i + 1}.{Guid.NewGuid():N}@example.org",
                role = "member",
            }));
        }

        var meetings = new List<string>();
        var first = new DateTime(2025, 11, 11, 8, 0, 0);
        for (var k = 0; k < options.Meetings; k++)
        {
            // Every tenth meeting overlaps the one before: adds to both are a clash (409), never a double booking.
            var start = first.AddMinutes(75 * k - (k % 10 == 9 ? 45 : 0));
            meetings.Add(await Must(http, $"/api/programmes/{programme}/engagements", new
            {
                kind = "meeting",
                title = $"Session {k + 1}",
                venueId = venue,
                start = start.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
                end = start.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            }));
        }

        var feeds = new List<string>();
        foreach (var person in people.Take(options.Feeds))
        {
            using var response = await http.PostAsync(new Uri($"/api/people/{person}/feeds", UriKind.Relative), null);
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            feeds.Add(new Uri(json.RootElement.GetProperty("url").GetString()!).AbsolutePath);
        }

        return new DrillPlan(programme, people, meetings, feeds);
    }

    private static async Task<string> Must(HttpClient http, string path, object body)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await http.PostAsync(new Uri(path, UriKind.Relative),
                new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.Created)
            {
                using var json = JsonDocument.Parse(text);
                return json.RootElement.GetProperty("id").GetString()!;
            }

            if (attempt >= 5)
            {
                throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
            }

            await Task.Delay(1000);
        }
    }

    private static void Log(string message) => Console.Error.WriteLine($"fault-drill: {message}");

    private sealed record DrillPlan(string ProgrammeId, IReadOnlyList<string> People, IReadOnlyList<string> Meetings, IReadOnlyList<string> FeedPaths);

    private sealed record Write(string Meeting, string Person, string Key, IReadOnlyList<int> Statuses, int Final, TimeSpan Took, bool Settled);

    private sealed record Options(
        string BaseUrl, string Key, string ConnectionString, int Seconds, int Writers, int Pollers, int People, int Meetings, int Feeds,
        string? ReadyFile, string? DoneFile)
    {
        public static Options Parse(IReadOnlyList<string> args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < args.Count; i += 2)
            {
                values[args[i]] = args[i + 1];
            }

            string Required(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"{name} is required");
            int Number(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
            return new Options(
                Required("--base"), Required("--key"), Required("--connection"), Number("--seconds", 300), Number("--writers", 8),
                Number("--pollers", 8), Number("--people", 200), Number("--meetings", 300), Number("--feeds", 40),
                values.GetValueOrDefault("--ready-file"), values.GetValueOrDefault("--done-file"));
        }
    }
}
