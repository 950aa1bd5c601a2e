using BenchmarkDotNet.Attributes;
using CommissionPlanner.Calendar;
using Microsoft.Extensions.Caching.Memory;
using NodaTime;

namespace CommissionPlanner.Benchmarks;

/// <summary>
/// Feed rendering: a delegate's 60-event feed and a 2,000-event organiser feed of a whole programme (10 attendees
/// per event). Cold is a full render with an empty <see cref="FeedRenderCache"/> (every event and VTIMEZONE serialized
/// by Ical.Net). AfterOneChange is the first GET after one engagement changed: the feed is rendered from fresh copies
/// of every value (as a new read from PostgreSQL gives), each call with another version of one engagement, so exactly
/// one event is serialized and the others are compared and copied from the cache. Cached is what FeedService does when
/// the whole render for (feed, change stamp, day) is in its memory cache.
/// </summary>
[MemoryDiagnoser]
public class FeedBenchmarks
{
    private FeedCalendar person = null!;
    private FeedCalendar programme = null!;
    private FeedCalendar[] personVersions = null!;
    private FeedCalendar[] programmeVersions = null!;
    private FeedRenderCache personCache = null!;
    private FeedRenderCache programmeCache = null!;
    private int personTurn;
    private int programmeTurn;
    private MemoryCache cache = null!;
    private (Guid, long, LocalDate, string) personKey;
    private (Guid, long, LocalDate, string) programmeKey;

    [GlobalSetup]
    public void Setup()
    {
        person = Calendar(60, attendeesPerEvent: 1, organiser: false);
        programme = Calendar(2000, attendeesPerEvent: 10, organiser: true);
        personVersions = [ChangedCopy(person, 1), ChangedCopy(person, 2)];
        programmeVersions = [ChangedCopy(programme, 1), ChangedCopy(programme, 2)];
        personCache = new FeedRenderCache();
        programmeCache = new FeedRenderCache();
        FeedRenderer.RenderUtf8(person, personCache);
        FeedRenderer.RenderUtf8(programme, programmeCache);
        cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = 256L * 1024 * 1024 });
        personKey = (Guid.NewGuid(), 42L, new LocalDate(2026, 3, 1), "http://127.0.0.1:5080");
        programmeKey = (Guid.NewGuid(), 42L, new LocalDate(2026, 3, 1), "http://127.0.0.1:5080");
        foreach (var (key, calendar) in new[] { (personKey, person), (programmeKey, programme) })
        {
            var body = FeedRenderer.RenderUtf8(calendar);
            cache.Set(key, (body, "\"etag\""), new MemoryCacheEntryOptions { Size = body.Length, SlidingExpiration = TimeSpan.FromHours(1) });
        }
    }

    [GlobalCleanup]
    public void Cleanup() => cache.Dispose();

    [Benchmark]
    public byte[] Person60_Cold() => FeedRenderer.RenderUtf8(person, new FeedRenderCache());

    [Benchmark]
    public byte[] Programme2000_Cold() => FeedRenderer.RenderUtf8(programme, new FeedRenderCache());

    [Benchmark]
    public byte[] Person60_AfterOneChange() => FeedRenderer.RenderUtf8(personVersions[personTurn++ & 1], personCache);

    [Benchmark]
    public byte[] Programme2000_AfterOneChange() => FeedRenderer.RenderUtf8(programmeVersions[programmeTurn++ & 1], programmeCache);

    [Benchmark]
    public byte[]? Person60_Cached() => cache.TryGetValue(personKey, out (byte[] Body, string ETag) hit) ? hit.Body : null;

    [Benchmark]
    public byte[]? Programme2000_Cached() => cache.TryGetValue(programmeKey, out (byte[] Body, string ETag) hit) ? hit.Body : null;

    /// <summary>
    /// A copy of every value (new strings, lists and records, as a fresh read from PostgreSQL gives) with the middle
    /// engagement moved by <paramref name="minutes"/> and its SEQUENCE bumped.
    /// </summary>
    internal static FeedCalendar ChangedCopy(FeedCalendar calendar, int minutes)
    {
        static string Copy(string s) => new(s.AsSpan());
        static FeedPlace Place(FeedPlace p) => p with { Name = Copy(p.Name), Address = Copy(p.Address), City = Copy(p.City) };
        var middle = calendar.Events.Count / 2;
        var events = calendar.Events.Select((e, i) =>
        {
            var copy = e with
            {
                Title = Copy(e.Title), Description = e.Description is null ? null : Copy(e.Description), Place = Place(e.Place),
                Areas = [.. e.Areas.Select(Copy)], Attendees = [.. e.Attendees.Select(a => a with { FullName = Copy(a.FullName) })],
            };
            return i == middle ? copy with { Sequence = e.Sequence + minutes, StartLocal = e.StartLocal.PlusMinutes(minutes) } : copy;
        }).ToList();
        return calendar with { Events = events };
    }

    internal static FeedCalendar Calendar(int events, int attendeesPerEvent, bool organiser, int? people = null)
    {
        var random = new Random(events);
        var places = new[]
        {
            new FeedPlace("Lancaster House", null, "Stable Yard, London SW1A 1BB", "London", "GB", 51.5040, -0.1389),
            new FeedPlace("Diaoyutai State Guesthouse", "钓鱼台国宾馆", "2 Fucheng Road, Haidian District, Beijing 100830", "Beijing", "CN", 39.9169, 116.3279),
            new FeedPlace("Royal Society", null, "6-9 Carlton House Terrace, London SW1Y 5AG", "London", "GB", 51.5063, -0.1318),
        };
        var owner = Guid.NewGuid();
        var pool = Enumerable.Range(0, people ?? Math.Max(attendeesPerEvent, 1) * 5)
            .Select(i => new FeedAttendee(i == 0 ? owner : Guid.NewGuid(), $"Delegate Number {i}", i % 3 == 0 ? "代表" : null, $"delegate{i}@example.org",
                i % 7 == 0 ? "chair" : "required", i % 4 == 0 ? "accepted" : "needs-action"))
            .ToArray();
        var list = new List<FeedEvent>(events);
        var start = new LocalDateTime(2026, 3, 2, 8, 0);
        for (var i = 0; i < events; i++)
        {
            var place = places[i % places.Length];
            var zone = place.City == "Beijing" ? "Asia/Shanghai" : "Europe/London";
            var at = start.PlusHours(i * 2);
            var attendees = organiser
                ? pool.Skip(random.Next(pool.Length - attendeesPerEvent)).Take(attendeesPerEvent).ToList()
                : [pool[0]];
            list.Add(new FeedEvent(
                Guid.NewGuid(), i % 3, i % 10 == 0 ? "tentative" : "confirmed", "meeting", $"Working group {i}: science and innovation",
                at, zone, at.PlusHours(1), zone, Instant.FromUtc(2026, 1, 1, 0, 0), Instant.FromUtc(2026, 1, 2, 0, 0),
                "A session of the joint commission's working group, with a description of a sentence or two, as real ones have.",
                "Host organisation", null, null, place, null, ["health", "climate-environment"], attendees, ReviewPending: i % 17 == 0));
        }

        return new FeedCalendar(
            organiser ? "11th Joint Commission" : "Delegate Number 0: 11th Joint Commission", "Europe/London", list,
            FeedDetail.Full, ShowAllAttendees: organiser, OwnerPersonId: organiser ? null : owner,
            OrganizerName: organiser ? "Secretariat" : null, OrganizerEmail: organiser ? "secretariat@example.org" : null,
            Duration.FromMinutes(60), id => $"http://127.0.0.1:5080/api/engagements/{id}");
    }
}
