using CommissionPlanner.Domain;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CommissionPlanner.Web.Planning;

/// <summary>
/// Runs a programme's conflict list once at start, before the planner takes requests, so that the first real one does
/// not pay for what only the first call costs: EF Core translating and compiling its three queries (about 0.5 s on this
/// 2-core machine) and the JIT compiling the rule loop. It lists an empty programme (no such id: the queries run and find
/// nothing), then checks a made-up itinerary once. The rule loop's hot methods are compiled optimised at that first call
/// (AggressiveOptimization in ItineraryRules), which is what made the first lists after a start 1-3.3 s against 0.3-0.9 s
/// later (docs/performance.md, "Conflicts: the first call"). It decides nothing and writes nothing; a failure is logged
/// and the start goes on.
/// </summary>
internal sealed class ConflictsWarmUp(PlanningQueries queries, IOptions<TravelOptions> travel, ILogger<ConflictsWarmUp> logger)
    : Hosting.StartupWarmUp(logger, "The conflict list")
{
    protected override async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        await queries.Conflicts(Guid.Empty, cancellationToken);
        ItineraryRules.AllClashes(MadeUpItinerary(), travel.Value);
    }

    /// <summary>Ten bookings at three venues in two cities, with an overlap and a travel clash, so every branch runs.</summary>
    private static List<BookedSlot> MadeUpItinerary()
    {
        var beijing = new Place(Guid.NewGuid(), "Beijing", "CN", new GeoPoint(39.9, 116.4));
        var tsinghua = new Place(Guid.NewGuid(), "Beijing", "CN", new GeoPoint(40.0, 116.3));
        var shanghai = new Place(Guid.NewGuid(), "Shanghai", "CN", new GeoPoint(31.2, 121.5));
        var start = Instant.FromUtc(2025, 11, 10, 1, 0);
        var slots = new List<BookedSlot>();
        for (var i = 0; i < 10; i++)
        {
            var place = (i % 3) switch { 0 => beijing, 1 => tsinghua, _ => shanghai };
            var from = start.Plus(Duration.FromMinutes(90 * i));
            slots.Add(BookedSlot.AtVenue(Guid.NewGuid(), $"Warm-up {i}", EngagementKind.Meeting, from, from.Plus(Duration.FromMinutes(i == 4 ? 120 : 60)), place));
        }

        return slots;
    }
}
