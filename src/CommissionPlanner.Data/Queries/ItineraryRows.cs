using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using Microsoft.EntityFrameworkCore;

namespace CommissionPlanner.Data.Queries;

/// <summary>
/// One of a person's bookings with everything their itinerary shows of it: the engagement, its venues, the person's own
/// row on its list and their place there. <see cref="Revision"/> is the engagement's revision when this was read.
/// </summary>
public sealed record ItineraryBooking(EngagementRecord Engagement, VenueRecord From, VenueRecord To, AttendeeRecord Attendee, AttendanceStatus Attendance)
{
    public Guid EngagementId => Engagement.Id;

    public long Revision => Engagement.Revision;

    /// <summary>Whether the booking takes the person's time (not cancelled, not declined): what booking checks count.</summary>
    public bool HoldsTime => BookingQueries.HoldsTime(Engagement.Status, Attendee.Response);

    public BookedSlot Slot => BookingQueries.SlotOf(Engagement, From, To);
}

/// <summary>
/// Reads people's itineraries from PostgreSQL: all of a person's bookings, some of them, or only their revisions (what an
/// itinerary grain compares to know whether it is current).
/// </summary>
public static class ItineraryRows
{
    /// <summary>The revisions of the person's bookings and of their own row: one small indexed read.</summary>
    private static readonly Func<PlannerDbContext, Guid, IAsyncEnumerable<BookingRevision>> RevisionsQuery = EF.CompileAsyncQuery(
        (PlannerDbContext db, Guid personId) =>
            from a in db.Attendees.Where(a => a.PersonId == personId)
            join e in db.Engagements on a.EngagementId equals e.Id
            select new BookingRevision(e.Id, e.Revision));

    public static Task<PersonRecord?> PersonAsync(PlannerDbContext db, Guid personId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == personId, ct);
    }

    /// <summary>Each booking's engagement id and revision, and the person's own row revision (null when the person is gone).</summary>
    public static async Task<(long? PersonRevision, Dictionary<Guid, long> Bookings)> RevisionsAsync(PlannerDbContext db, Guid personId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var person = await db.People.Where(p => p.Id == personId).Select(p => (long?)p.Revision).SingleOrDefaultAsync(ct);
        var bookings = new Dictionary<Guid, long>();
        await foreach (var booking in RevisionsQuery(db, personId).WithCancellation(ct))
        {
            bookings[booking.EngagementId] = booking.Revision;
        }

        return (person, bookings);
    }

    /// <summary>
    /// The person's bookings (only those at <paramref name="only"/> when given), each with its place on the list. Where the
    /// person accepted, their place depends on the others: the replies on those lists are read, in list order. Any other
    /// reply decides the person's status alone, so those lists are not read.
    /// </summary>
    public static async Task<List<ItineraryBooking>> BookingsAsync(PlannerDbContext db, Guid personId, IReadOnlyCollection<Guid>? only, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var attendees = db.Attendees.AsNoTracking().Where(a => a.PersonId == personId);
        if (only is not null)
        {
            attendees = attendees.Where(a => only.Contains(a.EngagementId));
        }

        var bookings = await attendees.ToDictionaryAsync(a => a.EngagementId, ct);
        if (bookings.Count == 0)
        {
            return [];
        }

        var engagementIds = bookings.Keys.ToList();
        var engagements = await db.Engagements.AsNoTracking().Where(e => engagementIds.Contains(e.Id)).ToListAsync(ct);
        var venueIds = engagements.SelectMany(e => new[] { e.FromVenueId, e.ToVenueId }).Distinct().ToList();
        var venues = await db.Venues.AsNoTracking().Where(v => venueIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, ct);

        var decidedAlone = bookings.ToDictionary(b => b.Key, b => AttendanceRules.StatusWithoutList(AttendanceLists.Reply(b.Value)));
        var placedByList = decidedAlone.Where(s => s.Value is null).Select(s => s.Key).ToList();
        var replies = placedByList.Count == 0
            ? Enumerable.Empty<AttendeeReply>().ToLookup(_ => Guid.Empty)
            : (await AttendanceLists.InListOrder(db, db.Attendees.Where(a => placedByList.Contains(a.EngagementId)))
                .Select(r => new { r.Attendee.EngagementId, r.Attendee.PersonId, r.Attendee.Response, r.Attendee.AcceptanceOrder }).ToListAsync(ct))
                .ToLookup(r => r.EngagementId, r => AttendanceLists.Reply(r.PersonId, r.Response, r.AcceptanceOrder));

        var result = new List<ItineraryBooking>(engagements.Count);
        foreach (var engagement in engagements)
        {
            var attendee = bookings[engagement.Id];
            var from = venues[engagement.FromVenueId];
            var attendance = decidedAlone[engagement.Id]
                ?? AttendanceRules.Compute(AttendanceLists.EffectiveCapacity(engagement, from.Capacity), [.. replies[engagement.Id]])
                    .Single(s => s.PersonId == personId);
            result.Add(new ItineraryBooking(engagement, from, venues[engagement.ToVenueId], attendee, attendance));
        }

        return result;
    }

    private sealed record BookingRevision(Guid EngagementId, long Revision);
}
