using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Languages;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CommissionPlanner.Data.Queries;

/// <summary>
/// One of a person's bookings with everything their itinerary shows of it: the engagement, its venues, the person's own
/// row on its list and their place there, with the engagement's revisions as they were read.
/// </summary>
public sealed record ItineraryBooking(EngagementRecord Engagement, VenueRecord From, VenueRecord To, AttendeeRecord Attendee, AttendanceStatus Attendance)
{
    public Guid EngagementId => Engagement.Id;

    /// <summary>
    /// Whom the person cannot follow there (no shared language, no interpreter: <see cref="InterpreterCoverage"/>), as of
    /// the list revision read; null when they can follow everyone, or their languages are not recorded.
    /// </summary>
    public InterpreterGap? Interpreting { get; init; }

    /// <summary>Whether this was read no earlier than <paramref name="other"/>: neither of its revisions is behind.</summary>
    public bool IsNoOlderThan(ItineraryBooking other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Engagement.Revision >= other.Engagement.Revision && Engagement.ListRevision >= other.Engagement.ListRevision;
    }

    /// <summary>
    /// Whether the booking as held may differ from the database's, whose revisions and whose row of this person are
    /// <paramref name="current"/>. A change to the list elsewhere matters to someone who accepted (any other reply decides
    /// the person's status alone: <see cref="AttendanceRules.StatusWithoutList"/>), and to someone whose languages are
    /// recorded (<paramref name="speaks"/>), as whom they can follow there depends on the others.
    /// </summary>
    public bool IsStale(BookingRevision current, bool speaks = false)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (current.Revision > Engagement.Revision || current.Response != Attendee.Response || current.Role != Attendee.Role
            || current.AcceptanceOrder != Attendee.AcceptanceOrder)
        {
            return true;
        }

        return current.ListRevision > Engagement.ListRevision
            && (speaks || Interpreting is not null || AttendanceRules.StatusWithoutList(AttendanceLists.Reply(Attendee)) is null);
    }

    /// <summary>Whether the booking takes the person's time (not cancelled, not declined): what booking checks count.</summary>
    public bool HoldsTime => BookingQueries.HoldsTime(Engagement.Status, Attendee.Response);

    public BookedSlot Slot => BookingQueries.SlotOf(Engagement, From, To);
}

/// <summary>
/// One of a person's hotel stays as their itinerary shows it: the stay, its hotel, and the name of the person whose room it
/// shares (if any). A stay's changes move the person's revision (a trigger: migration Logistics), so an itinerary reads
/// its stays again with the person.
/// </summary>
public sealed record ItineraryStay(StayRecord Stay, VenueRecord Hotel, string? SharingWithName);

/// <summary>
/// Reads people's itineraries from PostgreSQL: all of a person's bookings, some of them, or only their revisions (what an
/// itinerary grain compares to know whether it is current).
/// </summary>
public static class ItineraryRows
{
    public static Task<PersonRecord?> PersonAsync(PlannerDbContext db, Guid personId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == personId, ct);
    }

    /// <summary>The person's stays in date order, with their hotels.</summary>
    public static async Task<List<ItineraryStay>> StaysAsync(PlannerDbContext db, Guid personId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await (
            from s in db.Stays.AsNoTracking().Where(s => s.PersonId == personId)
            join h in db.Venues.AsNoTracking() on s.HotelId equals h.Id
            orderby s.CheckIn
            select new ItineraryStay(s, h, db.People.Where(p => p.Id == s.SharingWithPersonId).Select(p => p.FullName).FirstOrDefault()))
            .ToListAsync(ct);
    }

    /// <summary>
    /// For each of <paramref name="personIds"/>, the person's own revision (null when the person is gone) and each booking's
    /// revisions with the person's row on its list: two indexed reads however many people are asked for, so that a silo's
    /// itinerary grains compare with the database together rather than one query each (ItineraryRevisionChecks).
    /// Anything committed before <paramref name="readAt"/> is in the answer; whatever committed since may be too.
    /// </summary>
    public static async Task<Dictionary<Guid, ItineraryRevisions>> RevisionsAsync(
        PlannerDbContext db, IReadOnlyCollection<Guid> personIds, Instant readAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(personIds);
        var people = await db.People.Where(p => personIds.Contains(p.Id)).Select(p => new { p.Id, p.Revision }).ToDictionaryAsync(p => p.Id, p => p.Revision, ct);
        var rows = await (
            from a in db.Attendees.Where(a => personIds.Contains(a.PersonId))
            join e in db.Engagements on a.EngagementId equals e.Id
            select new { a.PersonId, Booking = new BookingRevision(e.Id, e.Revision, e.ListRevision, a.Response, a.Role, a.AcceptanceOrder) })
            .ToListAsync(ct);
        var bookings = rows.ToLookup(r => r.PersonId, r => r.Booking);
        return personIds.Distinct().ToDictionary(
            id => id,
            id => new ItineraryRevisions(readAt, people.TryGetValue(id, out var revision) ? revision : null, bookings[id].ToDictionary(b => b.EngagementId)));
    }

    /// <summary>
    /// Whether the person's languages are recorded and they are no interpreter: only then can they have an interpreter gap
    /// (<see cref="InterpreterCoverage"/>), so only then are their co-attendees' languages read.
    /// </summary>
    public static bool Speaks(PersonRecord? person) => person is { Languages.Count: > 0, Interprets.Count: 0 };

    /// <summary>
    /// The person's bookings (only those at <paramref name="only"/> when given), each with its place on the list. Where the
    /// person accepted, their place depends on the others: the replies on those lists are read, in list order. Any other
    /// reply decides the person's status alone, so those lists are not read. <paramref name="speaks"/>
    /// (<see cref="Speaks"/> of the person as the caller holds them): whether to read the co-attendees' languages for the
    /// person's interpreter gaps; most people's bookings are read without that query.
    /// </summary>
    public static async Task<List<ItineraryBooking>> BookingsAsync(
        PlannerDbContext db, Guid personId, IReadOnlyCollection<Guid>? only, bool speaks, CancellationToken ct)
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
                .ToLookup(r => r.EngagementId, r => new AttendeeReply(r.PersonId, r.Response, r.AcceptanceOrder));

        var speakers = speaks ? await SpeakersAsync(db, engagementIds, ct) : Enumerable.Empty<Speaker>().ToLookup(_ => Guid.Empty);
        var result = new List<ItineraryBooking>(engagements.Count);
        foreach (var engagement in engagements)
        {
            var attendee = bookings[engagement.Id];
            var from = venues[engagement.FromVenueId];
            var attendance = decidedAlone[engagement.Id]
                ?? AttendanceRules.Compute(AttendanceLists.EffectiveCapacity(engagement, from.Capacity), [.. replies[engagement.Id]])
                    .Single(s => s.PersonId == personId);
            result.Add(new ItineraryBooking(engagement, from, venues[engagement.ToVenueId], attendee, attendance)
            {
                Interpreting = speakers.Contains(engagement.Id) ? InterpreterCoverage.GapOf(personId, [.. speakers[engagement.Id]]) : null,
            });
        }

        return result;
    }

    /// <summary>The attendees whose languages are recorded, per engagement of <paramref name="engagementIds"/> (those who declined are not there).</summary>
    private static async Task<ILookup<Guid, Speaker>> SpeakersAsync(PlannerDbContext db, List<Guid> engagementIds, CancellationToken ct)
    {
        var rows = await (
            from a in db.Attendees.AsNoTracking()
            where engagementIds.Contains(a.EngagementId) && a.Response != Response.Declined
            join p in db.People.AsNoTracking() on a.PersonId equals p.Id
            where p.Languages.Count > 0
            select new { a.EngagementId, p.Id, p.FullName, p.Languages, p.Interprets })
            .ToListAsync(ct);
        return rows.ToLookup(r => r.EngagementId, r => new Speaker(r.Id, r.FullName, LanguageSpec.FromStored(r.Languages, r.Interprets)));
    }

    /// <summary>Everyone with a gap at each engagement of the programme that is not cancelled, per engagement.</summary>
    public static async Task<List<(Guid EngagementId, string Title, InterpreterGap Gap)>> InterpreterGapsAsync(PlannerDbContext db, Guid programmeId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await (
            from e in db.Engagements.AsNoTracking()
            where e.ProgrammeId == programmeId && e.Status != EngagementStatus.Cancelled
            join a in db.Attendees.AsNoTracking() on e.Id equals a.EngagementId
            where a.Response != Response.Declined
            join p in db.People.AsNoTracking() on a.PersonId equals p.Id
            where p.Languages.Count > 0
            select new { e.Id, e.Title, e.StartUtc, PersonId = p.Id, p.FullName, p.Languages, p.Interprets })
            .ToListAsync(ct);
        return [.. rows.GroupBy(r => (r.Id, r.Title, r.StartUtc))
            .OrderBy(g => g.Key.StartUtc).ThenBy(g => g.Key.Id)
            .SelectMany(g => InterpreterCoverage.Gaps([.. g.Select(r => new Speaker(r.PersonId, r.FullName, LanguageSpec.FromStored(r.Languages, r.Interprets)))])
                .Select(gap => (g.Key.Id, g.Key.Title, gap)))];
    }
}

/// <summary>
/// What an itinerary grain compares with what it holds: the person's revision (null: gone) and their bookings'
/// revisions, as read no earlier than <paramref name="ReadAt"/>.
/// </summary>
public sealed record ItineraryRevisions(Instant ReadAt, long? PersonRevision, IReadOnlyDictionary<Guid, BookingRevision> Bookings);

/// <summary>What an itinerary grain compares of one booking: its engagement's revisions and the person's row on the list.</summary>
public sealed record BookingRevision(Guid EngagementId, long Revision, long ListRevision, Response Response, AttendeeRole Role, long AcceptanceOrder);
