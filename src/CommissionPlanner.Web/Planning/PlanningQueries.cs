using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Data.Queries;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Languages;
using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Grains;
using CommissionPlanner.Web.Lists;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CommissionPlanner.Web.Planning;

/// <summary>
/// The read side: resources as the API shows them, straight from PostgreSQL. Grains commit before they
/// answer, so a read after a write sees it.
/// </summary>
public sealed class PlanningQueries(IDbContextFactory<PlannerDbContext> dbFactory, IOptions<TravelOptions> travel)
{
    public async Task<ProgrammeResource?> Programme(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.Programmes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        return record is null ? null : ToResource(record);
    }

    public async Task<IReadOnlyList<ProgrammeResource>> Programmes(CancellationToken ct) => (await Programmes(null, ct)).Items;

    /// <summary>Programmes by start date and name, a page at a time (null: all of them).</summary>
    public async Task<Paged<ProgrammeResource>> Programmes(KeysetPage<ProgrammeKey>? page, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Programmes.AsNoTracking();
        if (page?.After is { } after)
        {
            query = query.Where(p => EF.Functions.GreaterThan(
                ValueTuple.Create(p.StartDate, p.Name, p.Id), ValueTuple.Create(after.StartDate, after.Name, after.Id)));
        }

        var records = await Paging.Take(query.OrderBy(p => p.StartDate).ThenBy(p => p.Name).ThenBy(p => p.Id), page).ToListAsync(ct);
        var next = Paging.Cut(records, page, p => new ProgrammeKey(p.StartDate, p.Name, p.Id));
        return Paging.Result([.. records.Select(ToResource)], page, next);
    }

    public async Task<VenueResource?> Venue(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.Venues.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, ct);
        return record is null ? null : ToResource(record);
    }

    public async Task<IReadOnlyList<VenueResource>> Venues(CancellationToken ct) => (await Venues(null, ct)).Items;

    /// <summary>Venues by city and name, a page at a time (null: all of them).</summary>
    public async Task<Paged<VenueResource>> Venues(KeysetPage<VenueKey>? page, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Venues.AsNoTracking();
        if (page?.After is { } after)
        {
            query = query.Where(v => EF.Functions.GreaterThan(ValueTuple.Create(v.City, v.Name, v.Id), ValueTuple.Create(after.City, after.Name, after.Id)));
        }

        var records = await Paging.Take(query.OrderBy(v => v.City).ThenBy(v => v.Name).ThenBy(v => v.Id), page).ToListAsync(ct);
        var next = Paging.Cut(records, page, v => new VenueKey(v.City, v.Name, v.Id));
        return Paging.Result([.. records.Select(ToResource)], page, next);
    }

    /// <summary>Venue references for the engagement rules, for the ids a request names.</summary>
    public async Task<Dictionary<Guid, VenueRef>> VenueRefs(IEnumerable<Guid> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Venues.AsNoTracking().Where(v => wanted.Contains(v.Id))
            .ToDictionaryAsync(v => v.Id, v => new VenueRef(v.Id, v.TimeZone), ct);
    }

    public async Task<DelegationResource?> Delegation(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.Delegations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct);
        if (record is null)
        {
            return null;
        }

        var members = await db.People.AsNoTracking().Where(p => p.DelegationId == id).OrderBy(p => p.ProtocolOrder).ToListAsync(ct);
        return ToResource(record, members);
    }

    public async Task<IReadOnlyList<DelegationResource>> Delegations(Guid programmeId, CancellationToken ct) =>
        (await Delegations(programmeId, null, ct)).Items;

    /// <summary>
    /// The programme's delegations in the order they were created, a page at a time (null: all of them). Delegations one
    /// import created share their creation time; their ids break the tie, as in attendee lists. A delegation carries its
    /// members, so a page is bounded by what it carries: each delegation counts as itself and its members toward the limit
    /// (<see cref="Paging.CutBySize{T, TKey}"/>); a page of <c>limit=100</c> is then at most 100 objects, not 100
    /// delegations of 50 members each. The members of the whole page are one query, not one per delegation.
    /// </summary>
    public async Task<Paged<DelegationResource>> Delegations(Guid programmeId, KeysetPage<CreatedKey>? page, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Delegations.AsNoTracking().Where(d => d.ProgrammeId == programmeId);
        if (page?.After is { } after)
        {
            query = query.Where(d => EF.Functions.GreaterThan(ValueTuple.Create(d.CreatedAt, d.Id), ValueTuple.Create(after.CreatedAt, after.Id)));
        }

        var ordered = query.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id);
        string? next = null;
        List<DelegationRecord> records;
        if (page is { } p)
        {
            // Each delegation counts at least 1, so limit + 1 of them always cover the page and tell whether more follow;
            // the counts come from the (delegation_id, protocol_order) index, without reading the members.
            var sized = await ordered.Take(p.Limit + 1)
                .Select(d => new SizedDelegation(d, 1 + db.People.Count(m => m.DelegationId == d.Id))).ToListAsync(ct);
            next = Paging.CutBySize(sized, page, d => d.Size, d => new CreatedKey(d.Record.CreatedAt, d.Record.Id));
            records = [.. sized.Select(d => d.Record)];
        }
        else
        {
            records = await ordered.ToListAsync(ct);
        }

        var ids = records.Select(d => d.Id).ToList();
        var members = (await db.People.AsNoTracking().Where(m => ids.Contains(m.DelegationId))
                .OrderBy(m => m.DelegationId).ThenBy(m => m.ProtocolOrder).ToListAsync(ct))
            .ToLookup(m => m.DelegationId);
        return Paging.Result([.. records.Select(d => ToResource(d, members[d.Id]))], page, next);
    }

    private sealed record SizedDelegation(DelegationRecord Record, int Size);

    private static DelegationResource ToResource(DelegationRecord d, IEnumerable<PersonRecord> membersInProtocolOrder) =>
        new(d.Id, d.ProgrammeId, d.ExternalId, d.Name, d.Country, d.Version, [.. membersInProtocolOrder.Select(ToResource)]);

    public async Task<PersonResource?> Person(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        return record is null ? null : ToResource(record);
    }

    public async Task<EngagementRecord?> EngagementRecord(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Engagements.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
    }

    public async Task<EngagementResource?> Engagement(Guid id, CancellationToken ct, IReadOnlyList<ClashResource>? warnings = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.Engagements.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (record is null)
        {
            return null;
        }

        var venues = await VenuesOf(db, [record], ct);
        return ToResource(record, venues) with { Warnings = warnings };
    }

    public async Task<IReadOnlyList<EngagementResource>> Engagements(
        Guid programmeId, Instant? from, Instant? to, EngagementKind? kind, CancellationToken ct) =>
        (await Engagements(programmeId, from, to, kind, null, ct)).Items;

    /// <summary>The programme's engagements in time order (start, end, id), a page at a time (null: all that match).</summary>
    public async Task<Paged<EngagementResource>> Engagements(
        Guid programmeId, Instant? from, Instant? to, EngagementKind? kind, KeysetPage<EngagementKey>? page, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Engagements.AsNoTracking().Where(e => e.ProgrammeId == programmeId);
        if (from is { } f)
        {
            query = query.Where(e => e.EndUtc > f);
        }

        if (to is { } t)
        {
            query = query.Where(e => e.StartUtc < t);
        }

        if (kind is { } k)
        {
            query = query.Where(e => e.Kind == k);
        }

        if (page?.After is { } after)
        {
            query = query.Where(e => EF.Functions.GreaterThan(
                ValueTuple.Create(e.StartUtc, e.EndUtc, e.Id), ValueTuple.Create(after.StartUtc, after.EndUtc, after.Id)));
        }

        var records = await Paging.Take(query.OrderBy(e => e.StartUtc).ThenBy(e => e.EndUtc).ThenBy(e => e.Id), page).ToListAsync(ct);
        var next = Paging.Cut(records, page, e => new EngagementKey(e.StartUtc, e.EndUtc, e.Id));
        var venues = await VenuesOf(db, records, ct);
        return Paging.Result([.. records.Select(r => ToResource(r, venues))], page, next);
    }

    public async Task<IReadOnlyList<AttendeeResource>?> Attendees(Guid engagementId, CancellationToken ct) =>
        (await Attendees(engagementId, null, ct))?.Items;

    /// <summary>
    /// A page of the attendee list in list order (null: the whole list); null when there is no such engagement. A page reads
    /// its own rows and a count of the acceptances; only when some acceptance waits does it read the list's acceptances
    /// too (three columns), since a waiting position depends on every acceptance before it.
    /// </summary>
    public async Task<Paged<AttendeeResource>?> Attendees(Guid engagementId, KeysetPage<AttendeeKey>? page, CancellationToken ct)
    {
        if (page is not { } paged)
        {
            return await WholeAttendeeList(engagementId, ct) is { } all ? Paging.Result(all, page, null) : null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var capacity = await CapacityOf(db, engagementId, ct);
        if (capacity is null)
        {
            return null;
        }

        // The page's own rows decide their statuses unless someone waits (AttendanceRules.StatusWhileNoOneWaits): one count
        // of the acceptances instead of every reply. With a waiting list, an acceptance's place depends on the acceptances
        // before it, so those (not the other replies) are read in list order; their ranks among themselves are the ones
        // Compute gives in the whole list, since only acceptances hold ranks.
        var accepted = await db.Attendees.CountAsync(a => a.EngagementId == engagementId && a.Response == Response.Accepted, ct);
        Dictionary<Guid, AttendanceStatus>? places = null;
        if (capacity.Places is { } limit && accepted > limit)
        {
            var acceptances = await AttendanceLists.InListOrder(db, db.Attendees.Where(a => a.EngagementId == engagementId && a.Response == Response.Accepted))
                .Select(r => new AttendeeReply(r.Attendee.PersonId, r.Attendee.Response, r.Attendee.AcceptanceOrder)).ToListAsync(ct);
            places = AttendanceRules.Compute(limit, acceptances).ToDictionary(s => s.PersonId);
        }

        AttendanceStatus StatusOf(AttendeeRecord a) =>
            AttendanceRules.StatusWhileNoOneWaits(Reply(a), capacity.Places, accepted) ?? places![a.PersonId];

        // The same order as AttendanceLists.InListOrder, with the row comparison on its columns.
        var rows = db.Attendees.AsNoTracking().Where(a => a.EngagementId == engagementId)
            .Join(db.People.AsNoTracking(), a => a.PersonId, p => p.Id, (a, p) => new { Attendee = a, Person = p })
            .Join(db.Delegations.AsNoTracking(), r => r.Person.DelegationId, d => d.Id, (r, d) => new { r.Attendee, r.Person, DelegationCreatedAt = d.CreatedAt, DelegationId = d.Id });
        if (paged.After is { } after)
        {
            rows = rows.Where(r => EF.Functions.GreaterThan(
                ValueTuple.Create(r.DelegationCreatedAt, r.DelegationId, r.Person.ProtocolOrder, r.Person.Id),
                ValueTuple.Create(after.DelegationCreatedAt, after.DelegationId, after.ProtocolOrder, after.PersonId)));
        }

        var found = await rows.OrderBy(r => r.DelegationCreatedAt).ThenBy(r => r.DelegationId).ThenBy(r => r.Person.ProtocolOrder).ThenBy(r => r.Person.Id)
            .Take(paged.Limit + 1).ToListAsync(ct);
        var next = Paging.Cut(found, page, r => new AttendeeKey(r.DelegationCreatedAt, r.DelegationId, r.Person.ProtocolOrder, r.Person.Id));
        return Paging.Result([.. found.Select(r => ToResource(r.Attendee, r.Person, StatusOf(r.Attendee)))], page, next);
    }

    private async Task<IReadOnlyList<AttendeeResource>?> WholeAttendeeList(Guid engagementId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var capacity = await CapacityOf(db, engagementId, ct);
        if (capacity is null)
        {
            return null;
        }

        var rows = await AttendanceLists.InListOrder(db, db.Attendees.Where(a => a.EngagementId == engagementId)).AsNoTracking().ToListAsync(ct);

        var attendance = AttendanceRules.Compute(capacity.Places, [.. rows.Select(r => Reply(r.Attendee))]).ToDictionary(s => s.PersonId);
        return [.. rows.Select(r => ToResource(r.Attendee, r.Person, attendance[r.Person.Id]))];
    }

    /// <summary>
    /// One attendee, as <see cref="Attendees(Guid, CancellationToken)"/> would list them. Only an acceptance's place (confirmed or waiting)
    /// depends on the rest of the list; then the others' replies are read, in list order, but not their people. Any
    /// other reply decides its status alone (<see cref="AttendanceRules.StatusWithoutList"/>): so the answer to an
    /// attendee add, the hottest write, is one query (docs/performance.md).
    /// </summary>
    public async Task<AttendeeResource?> Attendee(Guid engagementId, Guid personId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await ReadAttendee(db, engagementId, personId, ct);
        if (found is null)
        {
            return null;
        }

        var status = AttendanceRules.StatusWithoutList(Reply(found.Attendee)) ?? await PlaceOnList(db, engagementId, personId, found.Capacity, ct);
        return ToResource(found.Attendee, found.Person, status);
    }

    /// <summary>The attendee with their person and the engagement's effective capacity; compiled once, as every add reads it.</summary>
    private static readonly Func<PlannerDbContext, Guid, Guid, CancellationToken, Task<AttendeeRow?>> ReadAttendee = EF.CompileAsyncQuery(
        (PlannerDbContext db, Guid engagementId, Guid personId, CancellationToken ct) => (
            from a in db.Attendees.AsNoTracking().Where(a => a.EngagementId == engagementId && a.PersonId == personId)
            join p in db.People on a.PersonId equals p.Id
            join e in db.Engagements on a.EngagementId equals e.Id
            join v in db.Venues on e.FromVenueId equals v.Id
            select new AttendeeRow(a, p, e.Capacity ?? v.Capacity)).SingleOrDefault());

    private sealed record AttendeeRow(AttendeeRecord Attendee, PersonRecord Person, int? Capacity);

    /// <summary>An accepted attendee's place, from every reply on the list in list order.</summary>
    private static async Task<AttendanceStatus> PlaceOnList(PlannerDbContext db, Guid engagementId, Guid personId, int? capacity, CancellationToken ct)
    {
        var replies = await AttendanceLists.InListOrder(db, db.Attendees.Where(a => a.EngagementId == engagementId))
            .Select(r => new { r.Attendee.PersonId, r.Attendee.Response, r.Attendee.AcceptanceOrder }).ToListAsync(ct);
        return AttendanceRules.Compute(capacity, [.. replies.Select(r => new AttendeeReply(r.PersonId, r.Response, r.AcceptanceOrder))])
            .Single(s => s.PersonId == personId);
    }

    /// <summary>
    /// A person's itinerary read from PostgreSQL, for the pages. The API's GET is served by the person's itinerary grain,
    /// which holds the same bookings (<see cref="ItineraryOf"/> makes the resource for both).
    /// </summary>
    public async Task<ItineraryResource?> Itinerary(Guid personId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var person = await ItineraryRows.PersonAsync(db, personId, ct);
        return person is null
            ? null
            : ItineraryOf(person, await ItineraryRows.BookingsAsync(db, personId, null, ItineraryRows.Speaks(person), ct), await ItineraryRows.StaysAsync(db, personId, ct), travel.Value);
    }

    /// <summary>
    /// The itinerary resource of a person's bookings and stays: entries in time order, the clashes among those that hold
    /// time, and the hotel stays in date order.
    /// </summary>
    public static ItineraryResource ItineraryOf(
        PersonRecord person, IReadOnlyCollection<ItineraryBooking> bookings, IReadOnlyList<ItineraryStay> stays, TravelOptions travel)
    {
        ArgumentNullException.ThrowIfNull(stays);
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(bookings);
        var entries = new List<ItineraryEntry>(bookings.Count);
        var slots = new List<BookedSlot>(bookings.Count);
        foreach (var booking in bookings.OrderBy(b => b.Engagement.StartUtc).ThenBy(b => b.EngagementId))
        {
            var engagement = booking.Engagement;
            var resource = ToResource(engagement, new Dictionary<Guid, VenueRecord> { [booking.From.Id] = booking.From, [booking.To.Id] = booking.To });
            entries.Add(new ItineraryEntry(engagement.Id, EngagementKinds.ToWire(engagement.Kind), engagement.Title, resource.Venue, resource.ToVenue,
                resource.Start, resource.End, resource.TimeZone, resource.EndTimeZone, resource.StartUtc, resource.EndUtc,
                EngagementStatuses.ToWire(engagement.Status), AttendeeRoles.ToWire(booking.Attendee.Role), Responses.ToWire(booking.Attendee.Response), Attendances.ToWire(booking.Attendance.Attendance),
                booking.Attendance.WaitingPosition, resource.Review, resource.Host, resource.Mode, resource.Reference, engagement.TitleZh));
            if (booking.HoldsTime)
            {
                slots.Add(booking.Slot);
            }
        }

        var warnings = ItineraryRules.AllClashes(slots, travel).Select(c => ToResource(person.Id, c)).ToList();
        warnings.AddRange(bookings.Where(b => b.HoldsTime && b.Interpreting is not null)
            .OrderBy(b => b.Engagement.StartUtc).ThenBy(b => b.EngagementId)
            .Select(b => InterpreterWarning(b.EngagementId, b.Engagement.Title, b.Interpreting!)));
        return new ItineraryResource(ToResource(person), entries, warnings, [.. stays.Select(s => ToResource(s.Stay, s.Hotel, s.SharingWithName))]);
    }

    internal static StayResource ToResource(StayRecord s, VenueRecord hotel, string? sharingWithName)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new StayResource(s.Id, s.ProgrammeId, s.PersonId, s.ExternalId, s.HotelId, ToResource(hotel), WireTime.FormatDate(s.CheckIn), WireTime.FormatDate(s.CheckOut),
            Period.Between(s.CheckIn, s.CheckOut, PeriodUnits.Days).Days, RoomTypes.ToWire(s.RoomType), s.SharingWithPersonId, sharingWithName, s.Confirmation,
            new ReviewResource(ReviewStatuses.ToWire(s.ReviewStatus), s.ReviewBy, s.ReviewAt is { } r ? WireTime.FormatInstant(r) : null, s.ReviewNote),
            s.Version, s.Sequence);
    }

    /// <summary>
    /// Every clash of every person in the programme: what staff must resolve. The programme's engagements are read once
    /// and each booking as two ids (<see cref="BookingQueries.HeldByPersonAsync"/>), all reads in one snapshot.
    /// </summary>
    public async Task<IReadOnlyList<ClashResource>> Conflicts(Guid programmeId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var snapshot = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var held = await BookingQueries.HeldByPersonAsync(db, programmeId, ct);
        var interpreting = await ItineraryRows.InterpreterGapsAsync(db, programmeId, ct);
        await snapshot.CommitAsync(ct);
        // Each person's time clashes, then the engagements where they cannot follow someone (in time order).
        return [.. held
            .SelectMany(person => ItineraryRules.AllClashes(person.Value, travel.Value).Select(c => ToResource(person.Key, c)))
            .Concat(interpreting.Select(i => InterpreterWarning(i.EngagementId, i.Title, i.Gap)))
            .OrderBy(c => c.PersonId)];
    }

    /// <summary>The warning of a person who cannot follow some of the others at an engagement.</summary>
    private static ClashResource InterpreterWarning(Guid engagementId, string title, InterpreterGap gap) =>
        new(gap.PersonId, ClashKinds.ToWire(ClashKind.Interpreter), [engagementId], gap.Detail(title));

    public async Task<bool> ProgrammeExists(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Programmes.AnyAsync(p => p.Id == id, ct);
    }

    public async Task<bool> DelegationExists(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Delegations.AnyAsync(d => d.Id == id, ct);
    }

    public static ClashResource ToResource(Grains.ClashInfo clash) => new(clash.PersonId, clash.Kind, clash.EngagementIds, clash.Detail, clash.MinutesShort);

    private static ClashResource ToResource(Guid personId, Clash clash) =>
        new(personId, ClashKinds.ToWire(clash.Kind), clash.EngagementIds, clash.Detail, clash.MinutesShort);

    private static AttendeeReply Reply(AttendeeRecord a) => AttendanceLists.Reply(a);

    /// <summary>
    /// Attendees in list order: delegations as they were created, then protocol order. Waiting lists use this order
    /// to break ties between equal acceptance orders, so every view of a list must read it the same way.
    /// </summary>

    /// <summary>The engagement's capacity, else its venue's (null places: unlimited); null when there is no such engagement.</summary>
    private static Task<EngagementCapacity?> CapacityOf(PlannerDbContext db, Guid engagementId, CancellationToken ct) =>
        db.Engagements.AsNoTracking()
            .Where(e => e.Id == engagementId)
            .Select(e => new EngagementCapacity(e.Capacity ?? db.Venues.Where(v => v.Id == e.FromVenueId).Select(v => v.Capacity).Single()))
            .SingleOrDefaultAsync(ct);

    private sealed record EngagementCapacity(int? Places);

    private static async Task<Dictionary<Guid, VenueRecord>> VenuesOf(PlannerDbContext db, IReadOnlyCollection<EngagementRecord> engagements, CancellationToken ct)
    {
        var ids = engagements.SelectMany(e => new[] { e.FromVenueId, e.ToVenueId }).Distinct().ToList();
        return await db.Venues.AsNoTracking().Where(v => ids.Contains(v.Id)).ToDictionaryAsync(v => v.Id, ct);
    }

    private static ProgrammeResource ToResource(ProgrammeRecord p) => new(
        p.Id, p.ExternalId, p.Name, WireTime.FormatDate(p.StartDate), WireTime.FormatDate(p.EndDate), p.TimeZone, p.Areas,
        p.Version, WireTime.FormatInstant(p.CreatedAt), WireTime.FormatInstant(p.UpdatedAt), p.NotificationsEnabled, p.NameZh);

    internal static VenueResource ToResource(VenueRecord v) => new(
        v.Id, v.ExternalId, v.Name, v.LocalName, v.Address, v.City, v.Country, v.TimeZone, v.Latitude, v.Longitude, v.Capacity, v.Sensitive, v.Version);

    private static PersonResource ToResource(PersonRecord p) => new(
        p.Id, p.ProgrammeId, p.DelegationId, p.ExternalId, p.FullName, p.LocalName, p.Organisation, p.Title, p.Email, DelegateRoles.ToWire(p.Role), p.ProtocolOrder, p.Version, p.Notify,
        p.Languages, p.Interprets);

    /// <summary>An attendee as the engagement grain answers an add, shown as every list shows attendees.</summary>
    public static AttendeeResource ToResource(AddedAttendee a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(a.PersonId, a.FullName, a.LocalName, a.DelegationId, a.Organisation, a.Title, a.Role, a.Response, a.Attendance,
            a.WaitingPosition, RespondedAt: null);
    }

    private static AttendeeResource ToResource(AttendeeRecord a, PersonRecord p, AttendanceStatus status) => new(
        p.Id, p.FullName, p.LocalName, p.DelegationId, p.Organisation, p.Title, AttendeeRoles.ToWire(a.Role), Responses.ToWire(a.Response),
        Attendances.ToWire(status.Attendance), status.WaitingPosition, a.RespondedAt is { } at ? WireTime.FormatInstant(at) : null);

    private static EngagementResource ToResource(EngagementRecord e, Dictionary<Guid, VenueRecord> venues)
    {
        var travel = e.Kind == EngagementKind.Travel;
        var from = venues[e.FromVenueId];
        return new EngagementResource(
            e.Id, e.ProgrammeId, e.ExternalId, EngagementKinds.ToWire(e.Kind), e.Title, EngagementStatuses.ToWire(e.Status),
            VenueId: travel ? null : e.FromVenueId,
            FromVenueId: travel ? e.FromVenueId : null,
            ToVenueId: travel ? e.ToVenueId : null,
            Venue: ToResource(from),
            ToVenue: travel ? ToResource(venues[e.ToVenueId]) : null,
            Start: WireTime.FormatLocal(e.StartLocal),
            End: WireTime.FormatLocal(e.EndLocal),
            TimeZone: e.StartZone,
            EndTimeZone: e.EndZone,
            StartUtc: WireTime.FormatInstant(e.StartUtc),
            EndUtc: WireTime.FormatInstant(e.EndUtc),
            e.Areas, e.Capacity, AttendanceLists.EffectiveCapacity(e, from.Capacity), e.Host, e.Description, TravelModes.ToWire(e.TravelMode), e.TravelReference,
            e.CancelReason, e.CancelledAt is { } c ? WireTime.FormatInstant(c) : null,
            new ReviewResource(ReviewStatuses.ToWire(e.ReviewStatus), e.ReviewBy, e.ReviewAt is { } r ? WireTime.FormatInstant(r) : null, e.ReviewNote),
            e.Version, e.Sequence, WireTime.FormatInstant(e.CreatedAt), WireTime.FormatInstant(e.UpdatedAt), VehicleId: e.VehicleId,
            TitleZh: e.TitleZh, DescriptionZh: e.DescriptionZh);
    }
}
