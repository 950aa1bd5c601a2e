using CommissionPlanner.Calendar;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CommissionPlanner.Web.Feeds;

/// <summary>
/// Reads and renders feeds at start, before the planner takes requests, so that the first feed after a start
/// does not pay for what only the first one costs: EF Core translating and compiling the feed's queries, and the JIT
/// compiling the renderer and Ical.Net's serializers. The first render ran their code unoptimised (10.2 s against
/// 2.2-2.8 s for later renders of the same 5,000-event feed, docs/performance.md); rendering a made-up feed
/// <see cref="FeedSettings.WarmUpRenders"/> times calls each method often enough for tiered compilation to recompile it
/// optimised before the first request. It reads feeds that match nothing, renders into caches of its own, and writes nothing; a failure is
/// logged and the start goes on.
/// </summary>
internal sealed class FeedWarmUp(FeedService feeds, IOptions<FeedSettings> settings, ILogger<FeedWarmUp> logger)
    : Hosting.StartupWarmUp(logger, "The feeds")
{
    protected override async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await feeds.WarmUpQueriesAsync(cancellationToken);
        var organiser = MadeUpProgrammeFeed();
        var busy = organiser with { Detail = FeedDetail.Busy };
        var person = organiser with { ShowAllAttendees = false, OwnerPersonId = organiser.Events[0].Attendees[0].PersonId };
        for (var i = 0; i < settings.Value.WarmUpRenders; i++)
        {
            // A cache of its own each time, so that every event is serialized again.
            FeedRenderer.RenderUtf8(organiser, new FeedRenderCache());
        }

        FeedRenderer.RenderUtf8(busy, new FeedRenderCache());
        FeedRenderer.RenderUtf8(person, new FeedRenderCache());
        logger.LogDebug(
            "Feeds warmed up: queries compiled, the made-up feed rendered {Renders} times, in {Milliseconds} ms.",
            settings.Value.WarmUpRenders, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>60 events in two zones with 10 attendees each out of 40 people, an organiser and event links.</summary>
    private static FeedCalendar MadeUpProgrammeFeed()
    {
        var people = Enumerable.Range(0, 40)
            .Select(i => new FeedAttendee(
                Guid.NewGuid(), $"Delegate {i}", i % 3 == 0 ? "代表" : null, $"delegate{i}@warm-up.example",
                i % 7 == 0 ? "chair" : "required", i % 4 == 0 ? "accepted" : "needs-action"))
            .ToArray();
        var beijing = new FeedPlace("Diaoyutai State Guesthouse", "钓鱼台国宾馆", "2 Fucheng Road, Haidian District", "Beijing", "CN", 39.9169, 116.3279);
        var london = new FeedPlace("Lancaster House", null, "Stable Yard, London SW1A 1BB", "London", "GB", 51.5040, -0.1389);
        var start = new LocalDateTime(2025, 11, 10, 9, 0);
        var events = Enumerable.Range(0, 60).Select(i =>
        {
            var (place, zone) = i % 2 == 0 ? (beijing, "Asia/Shanghai") : (london, "Europe/London");
            var at = start.PlusHours(i * 3);
            return new FeedEvent(
                Guid.NewGuid(), i % 3, i % 10 == 0 ? "tentative" : "confirmed", "meeting", $"Warm-up session {i}", at, zone, at.PlusHours(1), zone,
                Instant.FromUtc(2025, 9, 1, 8, 0), Instant.FromUtc(2025, 10, 1, 8, 0), "A made-up session.", "Host organisation", null, null,
                place, null, ["health"], [.. people.Skip(i % 30).Take(10)], ReviewPending: i % 17 == 0);
        }).ToList();
        return new FeedCalendar(
            "Warm-up", "Asia/Shanghai", events, FeedDetail.Full, ShowAllAttendees: true, OwnerPersonId: null,
            OrganizerName: "Secretariat", OrganizerEmail: "secretariat@warm-up.example", Duration.FromHours(1),
            id => $"http://warm-up.invalid/api/engagements/{id}");
    }
}

/// <summary>Runs <see cref="FeedService.RenderAhead"/>'s queue: the renders of new feeds ahead of their first GET.</summary>
internal sealed class FeedRenderAhead(FeedService feeds) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => feeds.RenderAheadAsync(stoppingToken);
}
