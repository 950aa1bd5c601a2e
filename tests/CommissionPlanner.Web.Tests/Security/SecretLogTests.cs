using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using CommissionPlanner.Web.Tests.Infrastructure;
using CommissionPlanner.Web.Tests.Planning;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace CommissionPlanner.Web.Tests.Security;

/// <summary>
/// A host whose PostgreSQL is reached through a <see cref="TcpProxy"/> (so a test can take the database away from it
/// alone), with telemetry on and every span that would be exported kept in <see cref="Spans"/>.
/// </summary>
public sealed class SecretLogFixture : IAsyncLifetime
{
    public ConfiguredPlannerApp App { get; private set; } = null!;

    public TcpProxy Database { get; private set; } = null!;

    public CapturedSpans Spans { get; } = new();

    public async ValueTask InitializeAsync()
    {
        var direct = new NpgsqlConnectionStringBuilder(await TestDatabase.CreateAsync("secretlog"));
        Database = new TcpProxy(direct.Host!, direct.Port);
        var proxied = new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Port = Database.Port, Timeout = 3, CommandTimeout = 5 };
        App = new ConfiguredPlannerApp(proxied.ConnectionString, "Development", new Dictionary<string, string?>
        {
            // Telemetry on, as in production; nothing listens there, the spans are taken from the pipeline below.
            ["Planner:Telemetry:OtlpEndpoint"] = "http://127.0.0.1:9",
            ["Planner:RateLimits:ApiPerMinute"] = "100000",
        }, services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new SimpleActivityExportProcessor(Spans))));
        using var client = App.CreateClient();
        (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>An OpenTelemetry exporter that keeps each exported span as text: its name, every tag, every event and its tags.</summary>
public sealed class CapturedSpans : BaseExporter<Activity>
{
    private readonly ConcurrentQueue<string> spans = new();

    public IReadOnlyCollection<string> All => spans;

    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var span in batch)
        {
            var tags = string.Join(" ", span.TagObjects.Select(t => $"{t.Key}={t.Value}"));
            var events = string.Join(" ", span.Events.Select(e => e.Name + " " + string.Join(" ", e.Tags.Select(t => $"{t.Key}={t.Value}"))));
            spans.Enqueue($"{span.Source.Name} {span.DisplayName} {tags} {events} {span.StatusDescription}");
        }

        return ExportResult.Success;
    }
}

public sealed class SecretLogTests(SecretLogFixture fixture) : IClassFixture<SecretLogFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_database_outage_during_feed_polls_and_replies_logs_and_exports_no_token()
    {
        using var admin = new PlanningClient(fixture.App.ClientWithKey(PlannerApp.AdminKey));
        var jcm = await Jcm.SetUp(admin);
        var person = await jcm.NewDelegate(admin);
        var meeting = await admin.CreateMeeting(jcm.ProgrammeId, jcm.Diaoyutai, "2025-11-11T10:00", "2025-11-11T12:00");
        await admin.AddAttendee(meeting.Id(), person);
        var feedPaths = new List<string>
        {
            new Uri((await admin.Post($"/api/people/{person}/feeds", new { })).Created().Str("url")).AbsolutePath,
            new Uri((await admin.Post($"/api/programmes/{jcm.ProgrammeId}/feeds", new { })).Created().Str("url")).AbsolutePath,
        };
        var replyPath = new Uri((await admin.Post($"/api/engagements/{meeting.Id()}/attendees/{person}/reply-link", null)).Created().Str("url")).AbsolutePath;
        // Never polled before the outage, so this silo has no last answer to keep serving: it fails, and is logged.
        var unpolledPath = new Uri((await admin.Post($"/api/people/{person}/feeds", new { })).Created().Str("url")).AbsolutePath;
        var tokens = feedPaths.Append(unpolledPath).Select(p => p["/feeds/".Length..^".ics".Length]).Append(replyPath["/reply/".Length..]).ToList();
        using var calendar = new PlanningClient(fixture.App.CreateClient());
        foreach (var path in feedPaths)
        {
            (await calendar.Get(path)).Expect(HttpStatusCode.OK);
        }

        // PostgreSQL goes away while calendars keep polling (past the one-second memory of the last answer).
        await Task.Delay(1200, Cancel);
        fixture.Database.Cut();
        var answers = new List<ApiResult>();
        var stale = new List<ApiResult>();
        try
        {
            for (var round = 0; round < 2; round++)
            {
                foreach (var path in feedPaths)
                {
                    stale.Add(await calendar.Get(path));
                }

                answers.Add(await calendar.Get(unpolledPath));
                answers.Add(await calendar.Get(replyPath));
                answers.Add(await calendar.Post(replyPath, new { response = "accepted" }));
                await Task.Delay(1100, Cancel);
            }
        }
        finally
        {
            fixture.Database.Restore();
        }

        await WaitUntilReady();
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status));
        // Feeds served before keep being served from memory (FeedService; DatabaseOutageTests checks their headers).
        Assert.All(stale, a => Assert.Equal((HttpStatusCode.OK, "text/calendar"), (a.Status, a.MediaType)));
        Assert.All(answers.Concat(stale), a => Assert.DoesNotContain(tokens, t => a.Text.Contains(t, StringComparison.Ordinal)));

        // The failures were logged, by their route; the spans were exported, by their route, and no token is in either.
        var logs = fixture.App.Logs.Messages;
        Assert.Contains(logs, m => m.Contains("/feeds/{file}", StringComparison.Ordinal) && m.Contains("failed", StringComparison.Ordinal));
        Assert.True(logs.Any(m => m.Contains("/reply/{token}", StringComparison.Ordinal)),
            string.Join("\n", logs.Where(m => m.Contains(" failed", StringComparison.Ordinal)).Select(m => m[..Math.Min(200, m.Length)])));
        fixture.App.Logs.AssertNoneContain([.. tokens]);
        // Each answer's traceId is in its log line, so that a caller's report finds it.
        var problems = answers.Where(a => a.MediaType == "application/problem+json").ToList();
        Assert.NotEmpty(problems);
        foreach (var problem in problems)
        {
            var traceId = System.Text.Json.JsonDocument.Parse(problem.Text).RootElement.GetProperty("traceId").GetString();
            Assert.Contains(logs, m => m.Contains($"failed (trace {traceId})", StringComparison.Ordinal));
        }

        var spans = fixture.Spans.All;
        Assert.Contains(spans, s => s.Contains("http.route=/feeds/{file}", StringComparison.Ordinal) && s.Contains("503", StringComparison.Ordinal));
        Assert.Contains(spans, s => s.Contains("url.path=/feeds/{redacted}", StringComparison.Ordinal));
        foreach (var span in spans)
        {
            Assert.False(tokens.Any(t => span.Contains(t, StringComparison.Ordinal)), $"An exported span contains a token: {span}");
        }
    }

    private async Task WaitUntilReady()
    {
        using var client = fixture.App.CreateClient();
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancel);
            if (ready.IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(500, Cancel);
        }
    }
}
