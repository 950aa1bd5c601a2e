using CommissionPlanner.Domain;
using Microsoft.EntityFrameworkCore;

namespace CommissionPlanner.Data.Queries;

/// <summary>A person's booking as the itinerary rules see it, with what lists need beside it.</summary>
public sealed record PersonBooking(Guid PersonId, BookedSlot Slot, string Status, string Response);

/// <summary>
/// Loads bookings as domain slots (times and places) for the itinerary checks, the itinerary view and
/// the programme's conflict list. Cancelled engagements and declined invitations hold no time.
/// </summary>
public static class BookingQueries
{
    public static Task<List<PersonBooking>> ForPersonAsync(PlannerDbContext db, Guid personId, CancellationToken cancellationToken) =>
        LoadAsync(db, db.Attendees.Where(a => a.PersonId == personId), cancellationToken);

    /// <summary>
    /// The person's bookings whose engagement meets <paramref name="window"/> (ends at or after its start and starts
    /// at or before its end): what a booking check needs (see <see cref="ItineraryRules.RelevantWindow"/>).
    /// </summary>
    public static Task<List<PersonBooking>> ForPersonWithinAsync(PlannerDbContext db, Guid personId, NodaTime.Interval window, CancellationToken cancellationToken) =>
        LoadAsync(db, db.Attendees.Where(a => a.PersonId == personId), cancellationToken, window);

    public static Task<List<PersonBooking>> ForProgrammeAsync(PlannerDbContext db, Guid programmeId, CancellationToken cancellationToken) =>
        LoadAsync(db, db.Attendees.Where(a => db.Engagements.Any(e => e.Id == a.EngagementId && e.ProgrammeId == programmeId)), cancellationToken);

    /// <summary>An engagement as a slot in someone's itinerary, from its row and its venues' rows.</summary>
    public static BookedSlot SlotOf(Entities.EngagementRecord engagement, Entities.VenueRecord from, Entities.VenueRecord to)
    {
        ArgumentNullException.ThrowIfNull(engagement);
        return new BookedSlot(engagement.Id, engagement.Title, KindOf(engagement.Kind, engagement.Id), engagement.StartUtc, engagement.EndUtc,
            PlaceOf(from), PlaceOf(to));
    }

    public static Place PlaceOf(Entities.VenueRecord venue)
    {
        ArgumentNullException.ThrowIfNull(venue);
        return new Place(venue.Id, venue.City, venue.Country, new GeoPoint(venue.Latitude, venue.Longitude));
    }

    public static bool HoldsTime(string status, string response) =>
        status != EngagementStatuses.ToWire(EngagementStatus.Cancelled) && response != Responses.ToWire(Response.Declined);

    /// <summary>Kinds are written only through EngagementKinds, so an unknown one means a corrupted row.</summary>
    public static EngagementKind KindOf(string kind, Guid engagementId) =>
        EngagementKinds.TryParse(kind, out var parsed)
            ? parsed
            : throw new InvalidOperationException($"Engagement {engagementId} has an unknown kind '{kind}'.");

    private static async Task<List<PersonBooking>> LoadAsync(
        PlannerDbContext db, IQueryable<Entities.AttendeeRecord> attendees, CancellationToken cancellationToken, NodaTime.Interval? window = null)
    {
        var booked = from a in attendees
                     join e in db.Engagements on a.EngagementId equals e.Id
                     select new { Attendee = a, Engagement = e };
        if (window is { } w)
        {
            var (from, to) = (w.Start, w.End);
            booked = booked.Where(b => b.Engagement.EndUtc >= from && b.Engagement.StartUtc <= to);
        }

        var rows = await (
            from b in booked
            join origin in db.Venues on b.Engagement.FromVenueId equals origin.Id
            join destination in db.Venues on b.Engagement.ToVenueId equals destination.Id
            select new
            {
                b.Attendee.PersonId, b.Attendee.Response, b.Engagement.Id, b.Engagement.Title, b.Engagement.Kind, b.Engagement.Status,
                b.Engagement.StartUtc, b.Engagement.EndUtc,
                FromId = origin.Id, FromCity = origin.City, FromCountry = origin.Country, FromLat = origin.Latitude, FromLon = origin.Longitude,
                ToId = destination.Id, ToCity = destination.City, ToCountry = destination.Country, ToLat = destination.Latitude, ToLon = destination.Longitude,
            }).AsNoTracking().ToListAsync(cancellationToken);

        return rows.Select(r =>
        {
            var kind = KindOf(r.Kind, r.Id);
            var slot = new BookedSlot(r.Id, r.Title, kind, r.StartUtc, r.EndUtc,
                new Place(r.FromId, r.FromCity, r.FromCountry, new GeoPoint(r.FromLat, r.FromLon)),
                new Place(r.ToId, r.ToCity, r.ToCountry, new GeoPoint(r.ToLat, r.ToLon)));
            return new PersonBooking(r.PersonId, slot, r.Status, r.Response);
        }).ToList();
    }
}
