using CommissionPlanner.Data.Queries;
using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Planning;
using Microsoft.EntityFrameworkCore;

namespace CommissionPlanner.Web.Lists;

/// <summary>What <see cref="ListQueries.AccessList"/> found: the list, or why there is none.</summary>
public sealed record AccessListResult(AccessList? List, bool Found, bool IsTravel);

/// <summary>
/// The read side of the organisers' lists, straight from PostgreSQL. Attendance always comes from
/// <see cref="AttendanceRules"/> through <see cref="AttendanceLists"/> (or, for one engagement, from
/// <see cref="PlanningQueries.Attendees(Guid, CancellationToken)"/>), so every list agrees with the attendee API. Sensitive logistics
/// are read only when the caller asked for and may see them, and nothing here logs.
/// </summary>
public sealed class ListQueries(IDbContextFactory<PlannerDbContext> dbFactory, PlanningQueries planning)
{
    /// <summary>An engagement's attendee list with delegation names, and logistics when <paramref name="withLogistics"/>; null for an unknown engagement.</summary>
    public async Task<IReadOnlyList<AttendeeListEntry>?> EngagementAttendees(Guid engagementId, bool withLogistics, CancellationToken ct) =>
        (await EngagementAttendees(engagementId, withLogistics, null, ct))?.Items;

    /// <summary>A page of it (null: the whole list); delegation names and logistics are read for the page's people only.</summary>
    public async Task<Paged<AttendeeListEntry>?> EngagementAttendees(Guid engagementId, bool withLogistics, KeysetPage<AttendeeKey>? page, CancellationToken ct)
    {
        if (await planning.Attendees(engagementId, page, ct) is not { } paged)
        {
            return null;
        }

        var attendees = paged.Items;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var delegationIds = attendees.Select(a => a.DelegationId).Distinct().ToList();
        var delegations = await db.Delegations.AsNoTracking().Where(d => delegationIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        var logistics = new Dictionary<Guid, PersonLogisticsRecord>();
        if (withLogistics)
        {
            var personIds = attendees.Select(a => a.PersonId).ToList();
            logistics = await db.PersonLogistics.AsNoTracking().Where(l => personIds.Contains(l.PersonId)).ToDictionaryAsync(l => l.PersonId, ct);
        }

        return new Paged<AttendeeListEntry>(
            [.. attendees.Select(a => new AttendeeListEntry(
                a.PersonId, a.FullName, a.LocalName, a.DelegationId, delegations.GetValueOrDefault(a.DelegationId) ?? string.Empty,
                a.Organisation, a.Title, a.Role, a.Response, a.Attendance, a.WaitingPosition, a.RespondedAt,
                withLogistics ? ToLogistics(logistics.GetValueOrDefault(a.PersonId)) : null))],
            paged.Limit,
            paged.Next);
    }

    /// <summary>A delegation's members (protocol order) × the programme's engagements (time order); null for an unknown delegation.</summary>
    public async Task<DelegationMatrix?> Matrix(Guid delegationId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var delegation = await db.Delegations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == delegationId, ct);
        if (delegation is null)
        {
            return null;
        }

        var people = await db.People.AsNoTracking().Where(p => p.DelegationId == delegationId)
            .OrderBy(p => p.ProtocolOrder).ThenBy(p => p.Id).ToListAsync(ct);
        var engagements = await EngagementsInTimeOrder(db, delegation.ProgrammeId, ct);
        var lists = await AttendanceOf(db, engagements, ct);

        var rows = people.Select(person => new MatrixPerson(
            person.Id, person.FullName, person.LocalName, person.Organisation, person.Title, person.ProtocolOrder,
            [.. engagements.Select(e => lists[e.Id].Row(person.Id) is { } row
                ? new MatrixCell(e.Id, AttendeeRoles.ToWire(row.Attendee.Role), Responses.ToWire(row.Attendee.Response), Attendances.ToWire(row.Status.Attendance), row.Status.WaitingPosition)
                : null)]));
        return new DelegationMatrix(
            new ListDelegation(delegation.Id, delegation.ProgrammeId, delegation.Name, delegation.Country),
            [.. engagements.Select(ToListEngagement)],
            [.. rows]);
    }

    /// <summary>Head counts per engagement of a programme in time order, with dietary counts when asked; null for an unknown programme.</summary>
    public async Task<AttendanceSummary?> Summary(Guid programmeId, bool withDietary, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var programme = await db.Programmes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == programmeId, ct);
        if (programme is null)
        {
            return null;
        }

        var engagements = await EngagementsInTimeOrder(db, programmeId, ct);
        var lists = await AttendanceOf(db, engagements, ct);
        var dietary = new Dictionary<Guid, string>();
        if (withDietary)
        {
            var withPlaces = lists.Values.SelectMany(l => l.Rows).Where(r => r.HasPlace).Select(r => r.Attendee.PersonId).Distinct().ToList();
            dietary = (await db.PersonLogistics.AsNoTracking()
                    .Where(l => withPlaces.Contains(l.PersonId) && l.Dietary != null)
                    .Select(l => new { l.PersonId, l.Dietary })
                    .ToListAsync(ct))
                .Where(l => !string.IsNullOrWhiteSpace(l.Dietary))
                .ToDictionary(l => l.PersonId, l => l.Dietary!.Trim());
        }

        return new AttendanceSummary(programme.Id, programme.Name, [.. engagements.Select(e =>
        {
            var list = lists[e.Id];
            int Count(Response response) => list.Rows.Count(r => r.Attendee.Response == response);
            var attending = list.Rows.Count(r => r.HasPlace);
            var heading = ToListEngagement(e);
            return new EngagementSummary(
                e.Id, e.Title, EngagementKinds.ToWire(e.Kind), heading.Start, heading.TimeZone, heading.StartUtc, EngagementStatuses.ToWire(e.Status),
                Invited: list.Rows.Count,
                Accepted: Count(Response.Accepted),
                Declined: Count(Response.Declined),
                Tentative: Count(Response.Tentative),
                NoReply: Count(Response.NeedsAction),
                Attending: attending,
                Waiting: list.Rows.Count(r => r.Status.Attendance == Attendance.Waiting),
                Capacity: list.Capacity,
                PlacesLeft: list.Capacity is { } capacity ? Math.Max(0, capacity - attending) : null,
                Dietary: withDietary ? DietaryCounts(list.Rows.Where(r => r.HasPlace).Select(r => dietary.GetValueOrDefault(r.Attendee.PersonId))) : null);
        })]);
    }

    /// <summary>The people with a place at an engagement, in delegation then protocol order, with only what a host needs.</summary>
    public async Task<AccessListResult> AccessList(Guid engagementId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var engagement = await db.Engagements.AsNoTracking().SingleOrDefaultAsync(e => e.Id == engagementId, ct);
        if (engagement is null)
        {
            return new AccessListResult(null, Found: false, IsTravel: false);
        }

        if (engagement.Kind == EngagementKind.Travel)
        {
            return new AccessListResult(null, Found: true, IsTravel: true);
        }

        var venue = await db.Venues.AsNoTracking().SingleAsync(v => v.Id == engagement.FromVenueId, ct);
        var list = (await AttendanceOf(db, [engagement], ct))[engagement.Id];
        var coming = list.Rows.Where(r => r.HasPlace).ToList();
        var personIds = coming.Select(r => r.Person.Id).ToList();
        // Nationality is the one logistics field a host may see; nothing else is read.
        var nationalities = await db.PersonLogistics.AsNoTracking()
            .Where(l => personIds.Contains(l.PersonId) && l.Nationality != null)
            .ToDictionaryAsync(l => l.PersonId, l => l.Nationality, ct);

        var heading = new AccessListEngagement(
            engagement.Id, engagement.Title, EngagementKinds.ToWire(engagement.Kind), WireTime.FormatLocal(engagement.StartLocal), WireTime.FormatLocal(engagement.EndLocal),
            engagement.StartZone, EngagementStatuses.ToWire(engagement.Status), venue.Name, venue.LocalName, engagement.Host);
        return new AccessListResult(
            new AccessList(heading, [.. coming.Select(r => new AccessListPerson(
                r.Person.FullName, r.Person.LocalName, r.Person.Organisation, r.Person.Title, nationalities.GetValueOrDefault(r.Person.Id)))]),
            Found: true, IsTravel: false);
    }

    private static AttendeeLogistics ToLogistics(PersonLogisticsRecord? record) => new(
        record?.Dietary, record?.Accessibility, record?.InterpreterLanguage, record?.Nationality, record?.SecurityClearance);

    /// <summary>Requirements grouped trimmed and case-insensitively, shown in their most common spelling; most frequent first.</summary>
    private static List<DietaryCount> DietaryCounts(IEnumerable<string?> requirements) =>
        [.. requirements
            .Where(r => !string.IsNullOrWhiteSpace(r))
            .Select(r => r!.Trim())
            .GroupBy(r => r, StringComparer.OrdinalIgnoreCase)
            .Select(g => new DietaryCount(
                g.GroupBy(r => r, StringComparer.Ordinal).OrderByDescending(s => s.Count()).ThenBy(s => s.Key, StringComparer.Ordinal).First().Key,
                g.Count()))
            .OrderByDescending(d => d.Count)
            .ThenBy(d => d.Requirement, StringComparer.OrdinalIgnoreCase)];

    private static ListEngagement ToListEngagement(EngagementRecord e) => new(
        e.Id, e.Title, EngagementKinds.ToWire(e.Kind), WireTime.FormatLocal(e.StartLocal), e.StartZone, WireTime.FormatInstant(e.StartUtc), EngagementStatuses.ToWire(e.Status));

    /// <summary>The programme's engagements in the order every list uses (as the engagements API).</summary>
    private static Task<List<EngagementRecord>> EngagementsInTimeOrder(PlannerDbContext db, Guid programmeId, CancellationToken ct) =>
        db.Engagements.AsNoTracking().Where(e => e.ProgrammeId == programmeId)
            .OrderBy(e => e.StartUtc).ThenBy(e => e.EndUtc).ThenBy(e => e.Id).ToListAsync(ct);

    /// <summary>Every listed engagement's attendees in list order (delegation, then protocol order) with their places.</summary>
    private static async Task<Dictionary<Guid, EngagementAttendance>> AttendanceOf(
        PlannerDbContext db, IReadOnlyCollection<EngagementRecord> engagements, CancellationToken ct)
    {
        var engagementIds = engagements.Select(e => e.Id).ToList();
        var venueIds = engagements.Select(e => e.FromVenueId).Distinct().ToList();
        var venueCapacities = await db.Venues.AsNoTracking().Where(v => venueIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Capacity, ct);
        var rows = await (
            from a in db.Attendees.Where(a => engagementIds.Contains(a.EngagementId))
            join p in db.People on a.PersonId equals p.Id
            join d in db.Delegations on p.DelegationId equals d.Id
            orderby d.CreatedAt, p.ProtocolOrder, p.Id
            select new { Attendee = a, Person = p }).AsNoTracking().ToListAsync(ct);
        var byEngagement = rows.ToLookup(r => r.Attendee.EngagementId);

        var result = new Dictionary<Guid, EngagementAttendance>();
        foreach (var engagement in engagements)
        {
            var capacity = AttendanceLists.EffectiveCapacity(engagement, venueCapacities.GetValueOrDefault(engagement.FromVenueId));
            var list = byEngagement[engagement.Id].ToList();
            var statuses = AttendanceLists.Compute(capacity, list.Select(r => r.Attendee));
            result[engagement.Id] = new EngagementAttendance(capacity, [.. list.Select(r =>
                new AttendanceRow(r.Attendee, r.Person, statuses[r.Person.Id], AttendanceLists.HasPlace(r.Attendee, statuses[r.Person.Id])))]);
        }

        return result;
    }

    private sealed record AttendanceRow(AttendeeRecord Attendee, PersonRecord Person, AttendanceStatus Status, bool HasPlace);

    private sealed record EngagementAttendance(int? Capacity, IReadOnlyList<AttendanceRow> Rows)
    {
        public AttendanceRow? Row(Guid personId) => Rows.FirstOrDefault(r => r.Person.Id == personId);
    }
}
