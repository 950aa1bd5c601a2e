using CommissionPlanner.Domain;
using Microsoft.EntityFrameworkCore;

namespace CommissionPlanner.Data.Queries;

/// <summary>A person's booking as the itinerary rules see it, with what lists need beside it.</summary>
public sealed record PersonBooking(Guid PersonId, BookedSlot Slot, EngagementStatus Status, Response Response);

/// <summary>
/// Bookings as domain slots (times and places): for the programme's conflict list, and how every reader (itinerary
/// grains included) turns rows into slots. Cancelled engagements and declined invitations hold no time.
/// </summary>
public static class BookingQueries
{
    public static Task<List<PersonBooking>> ForProgrammeAsync(PlannerDbContext db, Guid programmeId, CancellationToken cancellationToken) =>
        LoadAsync(db, db.Attendees.Where(a => db.Engagements.Any(e => e.Id == a.EngagementId && e.ProgrammeId == programmeId)), cancellationToken);

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

    private static async Task<List<PersonBooking>> LoadAsync(PlannerDbContext db, IQueryable<Entities.AttendeeRecord> attendees, CancellationToken cancellationToken)
    {
        var rows = await (
            from a in attendees
            join e in db.Engagements on a.EngagementId equals e.Id
            join origin in db.Venues on e.FromVenueId equals origin.Id
            join destination in db.Venues on e.ToVenueId equals destination.Id
            select new BookingRow(
                a.PersonId, a.Response, e.Id, e.Title, e.Kind, e.TravelMode, e.Status, e.StartUtc, e.EndUtc,
                origin.Id, origin.City, origin.Country, origin.Latitude, origin.Longitude,
                destination.Id, destination.City, destination.Country, destination.Latitude, destination.Longitude))
            .AsNoTracking().ToListAsync(cancellationToken);
        return [.. rows.Select(r => r.ToBooking())];
    }

    /// <summary>A booking as the programme's conflict list reads it.</summary>
    private sealed record BookingRow(
        Guid PersonId, Response Response, Guid Id, string Title, EngagementKind Kind, TravelMode? Mode, EngagementStatus Status, NodaTime.Instant StartUtc, NodaTime.Instant EndUtc,
        Guid FromId, string FromCity, string FromCountry, double FromLat, double FromLon,
        Guid ToId, string ToCity, string ToCountry, double ToLat, double ToLon)
    {
        public PersonBooking ToBooking() => new(PersonId, new BookedSlot(Id, Title, Kind, StartUtc, EndUtc,
            new Place(FromId, FromCity, FromCountry, new GeoPoint(FromLat, FromLon)),
            new Place(ToId, ToCity, ToCountry, new GeoPoint(ToLat, ToLon)), Mode), Status, Response);
    }
}
