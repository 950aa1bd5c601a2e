using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;

namespace CommissionPlanner.Data.Queries;

/// <summary>
/// The one way stored attendee rows become places and waiting positions: the rows' replies go through
/// <see cref="AttendanceRules"/> against the engagement's effective capacity (its own, else its venue's).
/// The engagement grain (promotions, capacity checks) and every read side that shows attendance share these.
/// </summary>
public static class AttendanceLists
{
    /// <summary>The engagement's capacity, or else its venue's (for a travel leg, the departure venue's); null is unlimited.</summary>
    public static int? EffectiveCapacity(EngagementRecord engagement, int? venueCapacity)
    {
        ArgumentNullException.ThrowIfNull(engagement);
        return engagement.Capacity ?? venueCapacity;
    }

    /// <summary>A stored row as the rules see it.</summary>
    public static AttendeeReply Reply(AttendeeRecord attendee)
    {
        ArgumentNullException.ThrowIfNull(attendee);
        return new AttendeeReply(attendee.PersonId, attendee.Response, attendee.AcceptanceOrder);
    }

    /// <summary>
    /// Each attendee's status by person id. <paramref name="attendees"/> are one engagement's rows in list order
    /// (delegation, then protocol order), which only breaks ties between equal acceptance orders.
    /// </summary>
    public static Dictionary<Guid, AttendanceStatus> Compute(int? capacity, IEnumerable<AttendeeRecord> attendees)
    {
        ArgumentNullException.ThrowIfNull(attendees);
        return AttendanceRules.Compute(capacity, [.. attendees.Select(Reply)]).ToDictionary(s => s.PersonId);
    }

    /// <summary>Accepted and given a place: what "attending" means for head counts and a host's access list.</summary>
    public static bool HasPlace(AttendeeRecord attendee, AttendanceStatus status)
    {
        ArgumentNullException.ThrowIfNull(attendee);
        ArgumentNullException.ThrowIfNull(status);
        return status.Attendance == Attendance.Attending && attendee.Response == Response.Accepted;
    }

    /// <summary>
    /// Attendee rows with their people in list order: delegation (by when it was created), then protocol order. The
    /// order only breaks ties between equal acceptance orders, but every list shows it.
    /// </summary>
    public static IQueryable<ListedAttendee> InListOrder(PlannerDbContext db, IQueryable<AttendeeRecord> attendees)
    {
        ArgumentNullException.ThrowIfNull(db);
        return from a in attendees
               join p in db.People on a.PersonId equals p.Id
               join d in db.Delegations on p.DelegationId equals d.Id
               // Delegations created together (by one import) share their creation time: their ids, handed out in
               // document order, break the tie, as the export orders them.
               orderby d.CreatedAt, d.Id, p.ProtocolOrder, p.Id
               select new ListedAttendee { Attendee = a, Person = p };
    }
}

/// <summary>An attendee row with its person, as <see cref="AttendanceLists.InListOrder"/> reads them.</summary>
public sealed class ListedAttendee
{
    public required AttendeeRecord Attendee { get; init; }
    public required PersonRecord Person { get; init; }
}
