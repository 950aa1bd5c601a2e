using BenchmarkDotNet.Attributes;
using CommissionPlanner.Domain;
using NodaTime;

namespace CommissionPlanner.Benchmarks;

/// <summary>
/// The clash and travel check when adding an attendee to a person who already has 200 engagements
/// (<see cref="ItineraryRules.ClashesWith"/>, what ItineraryGrain runs on every add, after reading the bookings from
/// PostgreSQL), for a candidate that fits and one that clashes; and the whole itinerary's warnings
/// (<see cref="ItineraryRules.AllClashes"/>, what an itinerary GET computes).
/// </summary>
[MemoryDiagnoser]
public class ItineraryBenchmarks
{
    private List<BookedSlot> existing = null!;
    private BookedSlot fits = null!;
    private BookedSlot clashes = null!;

    [Params(200)]
    public int Engagements { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var london = new Place(Guid.NewGuid(), "London", "GB", new GeoPoint(51.5040, -0.1389));
        var royal = new Place(Guid.NewGuid(), "London", "GB", new GeoPoint(51.5063, -0.1318));
        var oxford = new Place(Guid.NewGuid(), "Oxford", "GB", new GeoPoint(51.7520, -1.2577));
        var places = new[] { london, royal, oxford };
        var start = Instant.FromUtc(2026, 3, 2, 8, 0);

        // Slots every 3 hours, one hour long; the candidate goes into a gap in the middle.
        existing = [.. Enumerable.Range(0, Engagements).Select(i => BookedSlot.AtVenue(
            Guid.NewGuid(), $"Engagement {i}", EngagementKind.Meeting, start + Duration.FromHours(3 * i),
            start + Duration.FromHours(3 * i + 1), places[i % 2]))];
        var middle = start + Duration.FromHours(3 * (Engagements / 2));
        fits = BookedSlot.AtVenue(Guid.NewGuid(), "Fits", EngagementKind.Meeting, middle + Duration.FromMinutes(90), middle + Duration.FromMinutes(120), london);
        clashes = BookedSlot.AtVenue(Guid.NewGuid(), "Clashes", EngagementKind.Meeting, middle + Duration.FromMinutes(30), middle + Duration.FromMinutes(150), oxford);
    }

    [Benchmark]
    public int AddCheck_Fits() => ItineraryRules.ClashesWith(existing, fits, TravelOptions.Default).Count;

    [Benchmark]
    public int AddCheck_Clashes() => ItineraryRules.ClashesWith(existing, clashes, TravelOptions.Default).Count;

    [Benchmark]
    public int ItineraryWarnings() => ItineraryRules.AllClashes(existing, TravelOptions.Default).Count;
}
