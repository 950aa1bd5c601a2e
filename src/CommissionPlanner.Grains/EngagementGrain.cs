using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Data.Queries;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Planning;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Npgsql;

namespace CommissionPlanner.Grains;

/// <summary>
/// The single writer of one engagement and its attendee list. State is read from PostgreSQL per command
/// (so an import or another silo's earlier activation never leaves it stale) and written in one transaction;
/// the row's Version backs up this grain's serialisation should two activations ever coexist.
/// </summary>
internal sealed class EngagementGrain(IDbContextFactory<PlannerDbContext> dbFactory, IClock clock, IGrainFactory grains)
    : Grain, IEngagementGrain
{
    private static readonly string Cancelled = EngagementStatuses.ToWire(EngagementStatus.Cancelled);
    private static readonly string Confirmed = EngagementStatuses.ToWire(EngagementStatus.Confirmed);
    private static readonly string Tentative = EngagementStatuses.ToWire(EngagementStatus.Tentative);
    private static readonly string Accepted = Responses.ToWire(Response.Accepted);

    private Guid Id => this.GetPrimaryKey();

    /// <summary>
    /// Everything an attendee add depends on, in one round trip: adds are the hottest write (docs/performance.md), so
    /// the query is compiled once rather than translated from its expression tree on every add. Joins (the person's a
    /// left join: they may not be in the programme), not Single() in the projection: EF Core turns an entity's Single()
    /// there into a numbering of the whole table.
    /// </summary>
    private static readonly Func<PlannerDbContext, Guid, Guid, Task<AddContext?>> ReadForAdd = EF.CompileAsyncQuery(
        (PlannerDbContext db, Guid engagementId, Guid personId) => (
            from e in db.Engagements.AsNoTracking().Where(e => e.Id == engagementId)
            join origin in db.Venues on e.FromVenueId equals origin.Id
            join destination in db.Venues on e.ToVenueId equals destination.Id
            from person in db.People.Where(p => p.Id == personId && p.ProgrammeId == e.ProgrammeId).DefaultIfEmpty()
            select new AddContext(e, origin, destination, person, db.Attendees.Any(a => a.EngagementId == e.Id && a.PersonId == personId)))
            .SingleOrDefault());

    public async Task<CommandResult> Create(Guid programmeId, EngagementPlan plan)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var programme = await db.Programmes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == programmeId);
        if (programme is null)
        {
            return CommandResult.NotFound("programme");
        }

        if (await db.Engagements.AnyAsync(e => e.Id == Id))
        {
            return CommandResult.Conflict("An engagement with this id already exists.");
        }

        var sensitive = await db.Venues.AnyAsync(v => (v.Id == plan.FromVenueId || v.Id == plan.ToVenueId) && v.Sensitive);
        var review = ReviewRules.Initial(ReviewedFacts.Of(plan.Areas, plan.FromVenueId, plan.ToVenueId, plan.Host, sensitive, programme.Areas));
        var now = clock.GetCurrentInstant();
        var record = new EngagementRecord
        {
            Id = Id,
            ProgrammeId = programmeId,
            Kind = EngagementKinds.ToWire(plan.Kind),
            Title = plan.Title,
            Status = Tentative,
            StartZone = plan.StartZone,
            EndZone = plan.EndZone,
            ReviewStatus = ReviewStatuses.ToWire(review),
            Version = 1,
            Sequence = 0,
            CreatedAt = now,
        };
        Apply(record, plan, now);
        db.Engagements.Add(record);
        db.Audit(CallerContext.Current(), now, "engagement", Id, programmeId, "created", null, AuditTrail.Snapshot(record));
        await db.SaveChangesAndTouchAsync(programmeId);
        return CommandResult.Created(Id);
    }

    public async Task<CommandResult> Update(EngagementPlan plan, int expectedVersion, bool versionFromClient)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var record = await db.Engagements.SingleOrDefaultAsync(e => e.Id == Id);
        if (record is null)
        {
            return CommandResult.NotFound("engagement");
        }

        if (record.Version != expectedVersion)
        {
            return StaleVersion(record.Version, expectedVersion, versionFromClient);
        }

        var before = AuditTrail.Snapshot(record);

        if (record.Status == Cancelled)
        {
            return CommandResult.Conflict("The engagement is cancelled; it can no longer be changed.");
        }

        if ((plan.Kind == EngagementKind.Travel) != (record.Kind == EngagementKinds.ToWire(EngagementKind.Travel)))
        {
            return CommandResult.Invalid("kind", "A travel leg cannot become a meeting or visit, nor the other way round; cancel it and create a new one.");
        }

        var attendees = await db.Attendees.Where(a => a.EngagementId == Id).ToListAsync();
        var agreedAreas = await db.Programmes.Where(p => p.Id == record.ProgrammeId).Select(p => p.Areas).SingleAsync();
        var venues = await EngagementRows.VenuesOfAsync(db, [record], [plan.FromVenueId, plan.ToVenueId]);
        if (!venues.TryGetValue(plan.FromVenueId, out var from) || !venues.TryGetValue(plan.ToVenueId, out var to))
        {
            return CommandResult.Invalid(from is null ? "venueId" : "toVenueId", "No venue with this id exists.");
        }

        var timeOrPlaceChanged = record.StartLocal != plan.StartLocal || record.StartZone != plan.StartZone
            || record.EndLocal != plan.EndLocal || record.EndZone != plan.EndZone
            || record.FromVenueId != plan.FromVenueId || record.ToVenueId != plan.ToVenueId;
        var status = EngagementRows.StatusOf(record);
        var change = new EngagementChange
        {
            StatusBefore = status,
            StatusAfter = status,
            Review = EngagementRows.ReviewOf(record),
            EverDecided = EngagementRows.EverDecided(record),
            FactsBefore = EngagementRows.FactsOf(record, venues, agreedAreas),
            FactsAfter = ReviewedFacts.Of(plan.Areas, plan.FromVenueId, plan.ToVenueId, plan.Host, from.Sensitive || to.Sensitive, agreedAreas),
            TimeOrPlaceChanged = timeOrPlaceChanged,
            CapacityBefore = EngagementRows.CapacityOf(record, venues),
            CapacityAfter = plan.Capacity ?? from.Capacity,
            Replies = Replies(attendees),
        };
        var decision = change.Decide();
        if (decision.Refusal is { } refusal)
        {
            return CommandResult.Conflict(refusal.Detail, numbers: new Dictionary<string, int> { ["capacity"] = refusal.Capacity, ["attending"] = refusal.Attending });
        }

        var now = clock.GetCurrentInstant();
        Apply(record, plan, now);
        if (!EngagementRows.Apply(db, record, decision, now, "a place freed when the capacity was raised"))
        {
            // The rules changed nothing of their own, but the plan's fields were written: one new version either way.
            record.Version++;
        }
        var warnings = new List<ClashInfo>();
        if (decision.RecheckBookings)
        {
            var slot = BookingQueries.SlotOf(record, venues[record.FromVenueId], venues[record.ToVenueId]);
            foreach (var attendee in attendees)
            {
                attendee.Occupied = new Interval(record.StartUtc, record.EndUtc);
                if (!BookingQueries.HoldsTime(record.Status, attendee.Response))
                {
                    continue;
                }

                // Rescheduling re-checks every attendee. A clash does not block the change (staff may be moving
                // several things); it becomes a warning, and an overlapping booking leaves the database's
                // no-overlap guard so that the row can be written.
                var clashes = await grains.GetGrain<IItineraryGrain>(attendee.PersonId).Evaluate(slot);
                attendee.HoldsTime = !clashes.Any(c => c.Kind == ClashKinds.ToWire(ClashKind.Overlap));
                warnings.AddRange(clashes);
            }
        }

        db.Audit(CallerContext.Current(), now, "engagement", Id, record.ProgrammeId, "updated", before, AuditTrail.Snapshot(record));
        return await SaveAsync(db, record.ProgrammeId, CommandResult.Ok(Id, warnings));
    }

    public async Task<CommandResult> Confirm()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var record = await db.Engagements.SingleOrDefaultAsync(e => e.Id == Id);
        if (record is null)
        {
            return CommandResult.NotFound("engagement");
        }

        if (record.Status == Cancelled)
        {
            return CommandResult.Conflict("The engagement is cancelled; it cannot be confirmed.");
        }

        var review = EngagementRows.ReviewOf(record);
        if (!ReviewRules.AllowsConfirmation(review))
        {
            return CommandResult.Conflict(review == ReviewStatus.Rejected
                ? "A research-security reviewer rejected this engagement; it cannot be confirmed."
                : "This engagement needs a research-security review before it can be confirmed.");
        }

        if (record.Status != Confirmed)
        {
            var before = AuditTrail.Snapshot(record);
            var shownBefore = EngagementChange.Shown(EngagementRows.StatusOf(record), review);
            record.Status = Confirmed;
            record.Version++;
            record.Sequence += shownBefore == EngagementChange.Shown(EngagementStatus.Confirmed, review) ? 0 : 1;
            record.UpdatedAt = clock.GetCurrentInstant();
            db.Audit(CallerContext.Current(), record.UpdatedAt, "engagement", Id, record.ProgrammeId, "confirmed", before, AuditTrail.Snapshot(record));
        }

        return await SaveAsync(db, record.ProgrammeId, CommandResult.Ok(Id));
    }

    public async Task<CommandResult> Cancel(string reason)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var record = await db.Engagements.SingleOrDefaultAsync(e => e.Id == Id);
        if (record is null)
        {
            return CommandResult.NotFound("engagement");
        }

        if (record.Status == Cancelled)
        {
            return CommandResult.Ok(Id);
        }

        var now = clock.GetCurrentInstant();
        var before = AuditTrail.Snapshot(record);
        record.Status = Cancelled;
        record.CancelReason = reason;
        record.CancelledAt = now;
        record.Version++;
        record.Sequence++;
        record.UpdatedAt = now;
        // The engagement stays (feeds must show it as cancelled), but it no longer holds anyone's time.
        foreach (var attendee in await db.Attendees.Where(a => a.EngagementId == Id).ToListAsync())
        {
            attendee.HoldsTime = false;
        }

        db.Audit(CallerContext.Current(), now, "engagement", Id, record.ProgrammeId, "cancelled", before, AuditTrail.Snapshot(record));

        return await SaveAsync(db, record.ProgrammeId, CommandResult.Ok(Id));
    }

    public async Task<AttendeeAddition> AddAttendee(Guid personId, AttendeeRole role)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var found = await ReadForAdd(db, Id, personId);
        if (found is null)
        {
            return new(CommandResult.NotFound("engagement"));
        }

        var record = found.Engagement;
        if (record.Status == Cancelled)
        {
            return new(CommandResult.Conflict("The engagement is cancelled; no one can be added to it."));
        }

        if (found.Person is not { } person)
        {
            return new(CommandResult.Invalid("personId", "No person with this id is in this engagement's programme."));
        }

        if (found.Listed)
        {
            return new(CommandResult.Conflict($"{person.FullName} is already on this engagement's list."));
        }

        var itinerary = grains.GetGrain<IItineraryGrain>(personId);
        var reservation = await itinerary.Reserve(BookingQueries.SlotOf(record, found.From, found.To));
        if (!reservation.Reserved)
        {
            return new(CommandResult.Conflict(
                $"{person.FullName} cannot attend: {string.Join(" ", reservation.Clashes.Select(c => c.Detail))}", reservation.Clashes));
        }

        try
        {
            var now = clock.GetCurrentInstant();
            var attendee = new AttendeeRecord
            {
                EngagementId = Id,
                PersonId = personId,
                Role = AttendeeRoles.ToWire(role),
                Response = Responses.ToWire(Response.NeedsAction),
                InvitedAt = now,
                Occupied = new Interval(record.StartUtc, record.EndUtc),
                HoldsTime = true,
            };
            db.Attendees.Add(attendee);
            db.Audit(CallerContext.Current(), now, "engagement", Id, record.ProgrammeId, "attendee-added", null, AttendeeSnapshot(attendee));
            var saved = await SaveAsync(db, record.ProgrammeId, CommandResult.Created(personId), oneBatch: true);
            return saved.Succeeded ? new(saved, Added(attendee, person)) : new(saved);
        }
        finally
        {
            ReleaseHold(itinerary, reservation.HoldId);
        }
    }

    /// <summary>
    /// The attendee as written. Someone who has not answered is attending whatever the rest of the list is
    /// (AttendanceRules.StatusWithoutList), so this is what the list shows without reading it again.
    /// </summary>
    private static AddedAttendee Added(AttendeeRecord attendee, PersonRecord person)
    {
        var status = AttendanceRules.StatusWithoutList(AttendanceLists.Reply(attendee))
            ?? throw new InvalidOperationException("A new attendee has not answered yet, so their status cannot depend on the list.");
        return new AddedAttendee(person.Id, person.FullName, person.LocalName, person.DelegationId, person.Organisation, person.Title,
            attendee.Role, attendee.Response, Attendances.ToWire(status.Attendance), status.WaitingPosition);
    }

    public async Task<CommandResult> SetResponse(Guid personId, Response response)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var record = await db.Engagements.AsNoTracking().SingleOrDefaultAsync(e => e.Id == Id);
        var attendee = await db.Attendees.SingleOrDefaultAsync(a => a.EngagementId == Id && a.PersonId == personId);
        if (record is null || attendee is null)
        {
            return CommandResult.NotFound("attendee");
        }

        if (record.Status == Cancelled)
        {
            return CommandResult.Conflict("The engagement is cancelled; replies can no longer be recorded.");
        }

        var wire = Responses.ToWire(response);
        if (attendee.Response == wire)
        {
            return CommandResult.Ok(personId);
        }

        var replyBefore = AttendeeSnapshot(attendee);
        var list = await db.Attendees.Where(a => a.EngagementId == Id).ToListAsync();
        var capacity = await EffectiveCapacity(db, record);
        var before = AttendanceRules.Compute(capacity, Replies(list));

        var wasHolding = BookingQueries.HoldsTime(record.Status, attendee.Response);
        var willHold = BookingQueries.HoldsTime(record.Status, wire);
        var itinerary = grains.GetGrain<IItineraryGrain>(personId);
        Guid? holdId = null;
        if (!wasHolding && willHold)
        {
            // Someone who declined gave their time away; taking it back is a new booking and is checked as one.
            var reservation = await itinerary.Reserve(await SlotOf(db, record));
            if (!reservation.Reserved)
            {
                return CommandResult.Conflict(
                    $"The reply would double-book this person: {string.Join(" ", reservation.Clashes.Select(c => c.Detail))}", reservation.Clashes);
            }

            holdId = reservation.HoldId;
            attendee.HoldsTime = true;
        }
        else if (!willHold)
        {
            attendee.HoldsTime = false;
        }

        if (wire == Accepted)
        {
            // The waiting list is ordered by when people accepted.
            var last = await db.Attendees.Where(a => a.EngagementId == Id).MaxAsync(a => (long?)a.AcceptanceOrder) ?? 0;
            attendee.AcceptanceOrder = last + 1;
        }

        attendee.Response = wire;
        attendee.RespondedAt = clock.GetCurrentInstant();
        db.Audit(CallerContext.Current(), attendee.RespondedAt.Value, "engagement", Id, record.ProgrammeId, "response-changed", replyBefore, AttendeeSnapshot(attendee));
        RecordPromotions(db, before, AttendanceRules.Compute(capacity, Replies(list)), $"a place freed when a reply changed to {wire}");
        try
        {
            return await SaveAsync(db, record.ProgrammeId, CommandResult.Ok(personId));
        }
        finally
        {
            if (holdId is { } hold)
            {
                ReleaseHold(itinerary, hold);
            }
        }
    }

    public async Task<CommandResult> RemoveAttendee(Guid personId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var record = await db.Engagements.AsNoTracking().SingleOrDefaultAsync(e => e.Id == Id);
        var attendee = await db.Attendees.SingleOrDefaultAsync(a => a.EngagementId == Id && a.PersonId == personId);
        if (record is null || attendee is null)
        {
            return CommandResult.NotFound("attendee");
        }

        var list = await db.Attendees.Where(a => a.EngagementId == Id).ToListAsync();
        var capacity = await EffectiveCapacity(db, record);
        var before = AttendanceRules.Compute(capacity, Replies(list));
        db.Attendees.Remove(attendee);
        list.Remove(attendee);
        db.Audit(CallerContext.Current(), clock.GetCurrentInstant(), "engagement", Id, record.ProgrammeId, "attendee-removed", AttendeeSnapshot(attendee), null);
        RecordPromotions(db, before, AttendanceRules.Compute(capacity, Replies(list)), "a place freed when someone was removed from the list");
        return await SaveAsync(db, record.ProgrammeId, CommandResult.Ok(personId));
    }

    public async Task<CommandResult> Review(ReviewStatus decision, string note, string reviewer)
    {
        if (!ReviewRules.IsDecided(decision))
        {
            return CommandResult.Invalid("decision", "'decision' must be approved or rejected.");
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        var record = await db.Engagements.SingleOrDefaultAsync(e => e.Id == Id);
        if (record is null)
        {
            return CommandResult.NotFound("engagement");
        }

        var status = EngagementRows.StatusOf(record);
        var current = EngagementRows.ReviewOf(record);
        if (ReviewRules.ValidateDecision(current, status) is { } problem)
        {
            return CommandResult.Conflict(problem);
        }

        var before = AuditTrail.Snapshot(record);
        var now = clock.GetCurrentInstant();
        record.ReviewStatus = ReviewStatuses.ToWire(decision);
        record.ReviewBy = reviewer;
        record.ReviewAt = now;
        record.ReviewNote = note;
        record.Version++;
        if (EngagementChange.Shown(status, current) != EngagementChange.Shown(status, decision))
        {
            // What a confirmed engagement's feed entry shows (TENTATIVE while not approved) changes with the decision.
            record.Sequence++;
        }

        record.UpdatedAt = now;
        db.Audit(CallerContext.Current(), now, "engagement", Id, record.ProgrammeId, "reviewed", before, AuditTrail.Snapshot(record));
        return await SaveAsync(db, record.ProgrammeId, CommandResult.Ok(Id));
    }

    private static string AttendeeSnapshot(AttendeeRecord a) =>
        AuditTrail.Snapshot(new { a.PersonId, a.Role, a.Response, a.AcceptanceOrder, a.InvitedAt, a.RespondedAt });

    private static void Apply(EngagementRecord record, EngagementPlan plan, Instant now)
    {
        record.Kind = EngagementKinds.ToWire(plan.Kind);
        record.Title = plan.Title;
        record.FromVenueId = plan.FromVenueId;
        record.ToVenueId = plan.ToVenueId;
        record.StartLocal = plan.StartLocal;
        record.StartZone = plan.StartZone;
        record.EndLocal = plan.EndLocal;
        record.EndZone = plan.EndZone;
        record.StartUtc = plan.StartUtc;
        record.EndUtc = plan.EndUtc;
        record.Areas = [.. plan.Areas];
        record.Capacity = plan.Capacity;
        record.Host = plan.Host;
        record.Description = plan.Description;
        record.TravelMode = plan.Mode is { } mode ? TravelModes.ToWire(mode) : null;
        record.TravelReference = plan.Reference;
        record.UpdatedAt = now;
    }

    private static async Task<BookedSlot> SlotOf(PlannerDbContext db, EngagementRecord record)
    {
        var venues = await db.Venues.AsNoTracking()
            .Where(v => v.Id == record.FromVenueId || v.Id == record.ToVenueId)
            .ToDictionaryAsync(v => v.Id);
        return BookingQueries.SlotOf(record, venues[record.FromVenueId], venues[record.ToVenueId]);
    }

    /// <summary>
    /// Drops the itinerary grain's hold once the booking is written (or abandoned), without waiting: the call is
    /// one-way. Should it never arrive (that grain's silo has just died), the hold lapses by itself within seconds;
    /// the change is committed either way, so the caller is never told it failed.
    /// </summary>
    private void ReleaseHold(IItineraryGrain itinerary, Guid holdId) => _ = itinerary.Release(Id, holdId);

    /// <summary>The engagement's own capacity, else its venue's; null is unlimited.</summary>
    private static async Task<int?> EffectiveCapacity(PlannerDbContext db, EngagementRecord record) =>
        record.Capacity ?? await db.Venues.Where(v => v.Id == record.FromVenueId).Select(v => v.Capacity).SingleAsync();

    /// <summary>Waiting-list promotions happen by themselves when a place frees; each is recorded so organisers can see it.</summary>
    private void RecordPromotions(PlannerDbContext db, IReadOnlyList<AttendanceStatus> before, IReadOnlyList<AttendanceStatus> after, string reason)
    {
        var now = clock.GetCurrentInstant();
        foreach (var personId in AttendanceRules.Promoted(before, after))
        {
            db.Promotions.Add(new PromotionRecord { EngagementId = Id, PersonId = personId, PromotedAt = now, Reason = reason });
        }
    }

    private static List<AttendeeReply> Replies(IEnumerable<AttendeeRecord> attendees) => [.. attendees.Select(AttendanceLists.Reply)];

    private static CommandResult StaleVersion(int current, int expected, bool versionFromClient) => CommandResult.Conflict(
        versionFromClient
            ? $"The engagement has changed since you read it (your If-Match is version {expected}, it is now {current}). Read it again and reapply your change."
            : "The engagement changed while your request was applied. Send the request again.",
        numbers: new Dictionary<string, int> { ["currentVersion"] = current });

    private static async Task<CommandResult> SaveAsync(PlannerDbContext db, Guid programmeId, CommandResult success, bool oneBatch = false)
    {
        try
        {
            await (oneBatch ? db.SaveBatchAndTouchAsync(programmeId) : db.SaveChangesAndTouchAsync(programmeId));
            return success;
        }
        catch (DbUpdateConcurrencyException)
        {
            return CommandResult.Conflict("The engagement changed while your request was applied. Send the request again.");
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation })
        {
            // The itinerary grain's check is the rule; the database's exclusion constraint is the backstop.
            return CommandResult.Conflict("The person is already booked at that time.");
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // The row this grain checked was absent was written meanwhile by another writer (a programme import adding
            // the same person to the same engagement): the state changed, so 409, not a 500.
            return CommandResult.Conflict("The person was added to this engagement's list by another change meanwhile (a programme import, say).");
        }
    }

    /// <summary>The engagement with its venues, the person if they are in its programme, and whether they are already listed.</summary>
    private sealed record AddContext(EngagementRecord Engagement, VenueRecord From, VenueRecord To, PersonRecord? Person, bool Listed);
}
