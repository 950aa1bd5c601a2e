using CommissionPlanner.Domain;
using Microsoft.EntityFrameworkCore;

namespace CommissionPlanner.Data.Queries;

/// <summary>
/// Bookings as domain slots (times and places): for the programme's conflict list, and how every reader (itinerary
/// grains included) turns rows into slots. Cancelled engagements and declined invitations hold no time.
/// </summary>
public static class BookingQueries
{
    /// <summary>
    /// Every person's bookings in the programme that hold time (<see cref="HoldsTime"/>), as slots, per person. The
    /// engagements are read once each with their venues (a few thousand rows), and per booking only its two ids, so one
    /// <see cref="BookedSlot"/> per engagement is shared by all its attendees: reading a wide row per booking (its
    /// engagement's title, times and both venues) was 61 MB of text for 200,000 bookings (docs/performance.md). Both
    /// reads are in the caller's transaction; run them in one snapshot (repeatable read) so they agree.
    /// </summary>
    public static async Task<Dictionary<Guid, List<BookedSlot>>> HeldByPersonAsync(PlannerDbContext db, Guid programmeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        // HoldsTime, in SQL: not cancelled here, not declined below.
        var engagements = await (
            from e in db.Engagements.Where(e => e.ProgrammeId == programmeId && e.Status != EngagementStatus.Cancelled)
            join origin in db.Venues on e.FromVenueId equals origin.Id
            join destination in db.Venues on e.ToVenueId equals destination.Id
            select new EngagementRow(
                e.Id, e.Title, e.Kind, e.TravelMode, e.StartUtc, e.EndUtc,
                origin.Id, origin.City, origin.Country, origin.Latitude, origin.Longitude,
                destination.Id, destination.City, destination.Country, destination.Latitude, destination.Longitude))
            .AsNoTracking().ToListAsync(cancellationToken);
        var slots = engagements.ToDictionary(e => e.Id, e => e.ToSlot());

        var bookings = await (
            from a in db.Attendees.Where(a => a.Response != Response.Declined)
            join e in db.Engagements on a.EngagementId equals e.Id
            where e.ProgrammeId == programmeId && e.Status != EngagementStatus.Cancelled
            select new BookingIds(a.PersonId, a.EngagementId))
            .AsNoTracking().ToListAsync(cancellationToken);

        return ByPerson(bookings, slots);
    }

    // Compiled optimised at its first call, not through tiered compilation's unoptimised first tier: it runs once per
    // list, over every booking of the programme (200,000 in the scale test), so the first list after a start would run
    // all of it unoptimised (docs/performance.md, "Conflicts: the first call").
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static Dictionary<Guid, List<BookedSlot>> ByPerson(List<BookingIds> bookings, Dictionary<Guid, BookedSlot> slots)
    {
        var byPerson = new Dictionary<Guid, List<BookedSlot>>();
        foreach (var booking in bookings)
        {
            // Read in one snapshot with the engagements, every booking's engagement is there; skip one that is not.
            if (!slots.TryGetValue(booking.EngagementId, out var slot))
            {
                continue;
            }

            if (!byPerson.TryGetValue(booking.PersonId, out var held))
            {
                held = [];
                byPerson.Add(booking.PersonId, held);
            }

            held.Add(slot);
        }

        return byPerson;
    }

    /// <summary>An engagement as a slot in someone's itinerary, from its row and its venues' rows.</summary>
    public static BookedSlot SlotOf(Entities.EngagementRecord engagement, Entities.VenueRecord from, Entities.VenueRecord to)
    {
        ArgumentNullException.ThrowIfNull(engagement);
        return new BookedSlot(engagement.Id, engagement.Title, engagement.Kind, engagement.StartUtc, engagement.EndUtc,
            PlaceOf(from), PlaceOf(to), engagement.TravelMode);
    }

    public static Place PlaceOf(Entities.VenueRecord venue)
    {
        ArgumentNullException.ThrowIfNull(venue);
        return new Place(venue.Id, venue.City, venue.Country, new GeoPoint(venue.Latitude, venue.Longitude));
    }

    public static bool HoldsTime(EngagementStatus status, Response response) =>
        status != EngagementStatus.Cancelled && response != Response.Declined;

    /// <summary>An engagement that holds time, with its venues' places, as the programme's conflict list reads it.</summary>
    private sealed record EngagementRow(
        Guid Id, string Title, EngagementKind Kind, TravelMode? Mode, NodaTime.Instant StartUtc, NodaTime.Instant EndUtc,
        Guid FromId, string FromCity, string FromCountry, double FromLat, double FromLon,
        Guid ToId, string ToCity, string ToCountry, double ToLat, double ToLon)
    {
        public BookedSlot ToSlot() => new(Id, Title, Kind, StartUtc, EndUtc,
            new Place(FromId, FromCity, FromCountry, new GeoPoint(FromLat, FromLon)),
            new Place(ToId, ToCity, ToCountry, new GeoPoint(ToLat, ToLon)), Mode);
    }

    /// <summary>A booking as the programme's conflict list reads it: who, and which engagement.</summary>
    private sealed record BookingIds(Guid PersonId, Guid EngagementId);
}
