using Orleans.Concurrency;
using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Data.Queries;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Languages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Npgsql;

namespace CommissionPlanner.Grains;

/// <summary>The engagement's attendee list: adds (checked by each person's itinerary grain), replies and removals.</summary>
internal sealed partial class EngagementGrain
{
    public async Task<AttendeeAddition> AddAttendee(Guid personId, AttendeeRole role)
    {
        // Decided on what is held. When that proves old (the write's claim failed, or a refusal came from a copy the
        // database has moved past), the add is decided once more on a fresh read, and that answer stands.
        var fromMemory = held is not null;
        var outcome = await TryAddAsync(personId, role);
        if (outcome is null || (fromMemory && !outcome.Result.Succeeded && !await HeldIsCurrentAsync()))
        {
            Forget();
            outcome = await TryAddAsync(personId, role);
        }

        return outcome ?? new(CommandResult.Conflict("The engagement changed while your request was applied. Send the request again."));
    }

    /// <summary>The add, decided on what is held; null when the write found that old, so nothing was written.</summary>
    private async Task<AttendeeAddition?> TryAddAsync(Guid personId, AttendeeRole role)
    {
        if (await HeldAsync() is not { } engagement)
        {
            return new(CommandResult.NotFound("engagement"));
        }

        var record = engagement.Engagement;
        if (record.Status == Cancelled)
        {
            return new(CommandResult.Conflict("The engagement is cancelled; no one can be added to it."));
        }

        var itinerary = grains.GetGrain<IItineraryGrain>(personId);
        var reservation = await itinerary.Reserve(new Immutable<BookedSlot>(engagement.Slot));
        ItineraryBooking? booked = null;
        try
        {
            if (reservation.Person is not { } person || person.ProgrammeId != record.ProgrammeId)
            {
                return new(CommandResult.Invalid("personId", "No person with this id is in this engagement's programme."));
            }

            if (engagement.Listed.Contains(personId))
            {
                return new(CommandResult.Conflict($"{person.FullName} is already on this engagement's list."));
            }

            if (engagement.Seats is { } seats && engagement.Passengers >= seats)
            {
                return new(SeatsTaken(seats, engagement.Passengers));
            }

            if (!reservation.Reserved)
            {
                return new(CommandResult.Conflict(
                    $"{person.FullName} cannot attend: {string.Join(" ", reservation.Clashes.Select(c => c.Detail))}", reservation.Clashes));
            }

            var now = clock.GetCurrentInstant();
            var attendee = new AttendeeRecord
            {
                EngagementId = Id,
                PersonId = personId,
                Role = role,
                Response = Response.NeedsAction,
                InvitedAt = now,
                Occupied = new Interval(record.StartUtc, record.EndUtc),
                HoldsTime = true,
            };
            var audit = AuditTrail.Entry(CallerContext.Current(), now, "engagement", Id, record.ProgrammeId, "attendee-added", null, AttendeeSnapshot(attendee));
            switch (await WriteAddAsync(engagement, attendee, audit))
            {
                case { Stale: true }:
                    return null;
                case { Refusal: { } refused }:
                    return refused;
            }

            var added = Added(attendee, person);
            engagement.Listed.Add(personId);
            // The add's one statement on the list raised the list revision by one (a trigger: migration
            // ItineraryRevisions), and the claim kept everyone else off the row: the copy held is current again.
            record.ListRevision++;
            var gap = TellCoverageChanged(engagement, person.Speaker);
            booked = new ItineraryBooking(record.ShallowCopy(), engagement.From, engagement.To, attendee.ShallowCopy(), added.Status) { Interpreting = gap };
            return new(CommandResult.Created(personId), added.Attendee);
        }
        finally
        {
            if (booked is not null)
            {
                _ = itinerary.Booked(reservation.HoldId, new Immutable<ItineraryBooking>(booked));
            }
            else if (reservation.Reserved)
            {
                _ = itinerary.Release(Id, reservation.HoldId);
            }
        }
    }

    /// <summary>
    /// Writes the add, claiming the revisions the decision was made on. A refusal by the database (its constraints are the
    /// backstop of the checks above) is the answer; a stale claim (or a list changed under it) forgets what is held.
    /// </summary>
    private async Task<(bool Stale, AttendeeAddition? Refusal)> WriteAddAsync(HeldEngagement engagement, AttendeeRecord attendee, AuditRecord audit)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        try
        {
            await AttendeeWrites.AddAsync(db, engagement.Claim, engagement.Engagement.ProgrammeId, attendee, audit);
            return (false, null);
        }
        catch (PostgresException ex) when (EngagementClaim.IsStale(ex)
            || ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected)
        {
            // Another writer changed the list meanwhile: an import adding the same person waits on the claim's lock
            // while holding their row (a deadlock PostgreSQL breaks), or committed just before the claim.
            Forget();
            return (true, null);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ExclusionViolation)
        {
            // The itinerary grain's check is the rule; the database's exclusion constraint is the backstop.
            return (false, new(CommandResult.Conflict("The person is already booked at that time.")));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return (false, new(CommandResult.Invalid("personId", "No person with this id is in this engagement's programme.")));
        }
    }
    /// <summary>
    /// The attendee as written. Someone who has not answered is attending whatever the rest of the list is
    /// (AttendanceRules.StatusWithoutList), so this is what the list shows without reading it again.
    /// </summary>
    private static (AddedAttendee Attendee, AttendanceStatus Status) Added(AttendeeRecord attendee, BookedPerson person)
    {
        var status = AttendanceRules.StatusWithoutList(AttendanceLists.Reply(attendee))
            ?? throw new InvalidOperationException("A new attendee has not answered yet, so their status cannot depend on the list.");
        return (new AddedAttendee(person.Id, person.FullName, person.LocalName, person.DelegationId, person.Organisation, person.Title,
            AttendeeRoles.ToWire(attendee.Role), Responses.ToWire(attendee.Response), Attendances.ToWire(status.Attendance), status.WaitingPosition), status);
    }

    public async Task<CommandResult> SetResponse(Guid personId, Response response)
    {
        Forget();
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

        if (attendee.Response == response)
        {
            return CommandResult.Ok(personId);
        }

        var replyBefore = AttendeeSnapshot(attendee);
        var list = await db.Attendees.Where(a => a.EngagementId == Id).ToListAsync();
        var capacity = await EffectiveCapacity(db, record);
        var before = AttendanceRules.Compute(capacity, Replies(list));

        if (attendee.Response == Response.Declined && record.VehicleId is { } vehicleId)
        {
            // A passenger who declined gave their seat up; taking it back needs a free one.
            var seats = await db.Vehicles.Where(v => v.Id == vehicleId).Select(v => v.Seats).SingleAsync();
            var passengers = list.Count(a => a.Response != Response.Declined);
            if (passengers >= seats)
            {
                return SeatsTaken(seats, passengers);
            }
        }

        var wasHolding = BookingQueries.HoldsTime(record.Status, attendee.Response);
        var willHold = BookingQueries.HoldsTime(record.Status, response);
        var itinerary = grains.GetGrain<IItineraryGrain>(personId);
        Guid? holdId = null;
        if (!wasHolding && willHold)
        {
            // Someone who declined gave their time away; taking it back is a new booking and is checked as one.
            var reservation = await itinerary.Reserve(new Immutable<BookedSlot>(await SlotOf(db, record)));
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

        if (response == Response.Accepted)
        {
            // The waiting list is ordered by when people accepted.
            var last = await db.Attendees.Where(a => a.EngagementId == Id).MaxAsync(a => (long?)a.AcceptanceOrder) ?? 0;
            attendee.AcceptanceOrder = last + 1;
        }

        attendee.Response = response;
        attendee.RespondedAt = clock.GetCurrentInstant();
        db.Audit(CallerContext.Current(), attendee.RespondedAt.Value, "engagement", Id, record.ProgrammeId, "response-changed", replyBefore, AttendeeSnapshot(attendee));
        RecordPromotions(db, before, AttendanceRules.Compute(capacity, Replies(list)), $"a place freed when a reply changed to {Responses.ToWire(response)}");
        var saved = CommandResult.Conflict("The reply was not recorded.");
        try
        {
            saved = await SaveAsync(db, EngagementClaim.Of(record), record.ProgrammeId, CommandResult.Ok(personId));
            // Everyone's place on the list may have moved with the reply (a promotion, a waiting position).
            TellItineraries(saved, list.Select(a => a.PersonId).Where(p => holdId is null || p != personId));
            return saved;
        }
        finally
        {
            if (holdId is { } hold)
            {
                EndHold(itinerary, hold, saved.Succeeded);
            }
        }
    }

    public async Task<CommandResult> RemoveAttendee(Guid personId)
    {
        Forget();
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
        var saved = await SaveAsync(db, EngagementClaim.Of(record), record.ProgrammeId, CommandResult.Ok(personId));
        TellItineraries(saved, list.Select(a => a.PersonId).Append(personId));
        return saved;
    }

    /// <summary>
    /// Adds the new attendee to those whose languages are held and tells the itinerary of everyone else whose coverage
    /// the add changed (an interpreter who closes the gap between two delegations, a guest who opens one); the usual add,
    /// of someone whose languages are not recorded or to a list that shares a language, computes nothing. The new
    /// attendee's own gap is the answer, for their booking.
    /// </summary>
    private InterpreterGap? TellCoverageChanged(HeldEngagement engagement, Speaker added)
    {
        if (added.Languages.Languages.Count == 0)
        {
            return null;
        }

        var before = InterpreterCoverage.Gaps(engagement.Speakers);
        engagement.Speakers.Add(added);
        var after = InterpreterCoverage.Gaps(engagement.Speakers);
        var changed = before.Select(g => g.PersonId).Union(after.Select(g => g.PersonId))
            .Where(id => id != added.PersonId && !Equals(before.FirstOrDefault(g => g.PersonId == id), after.FirstOrDefault(g => g.PersonId == id)))
            .ToList();
        TellItineraries(CommandResult.Ok(Id), changed);
        return after.FirstOrDefault(g => g.PersonId == added.PersonId);
    }

    private static CommandResult SeatsTaken(int seats, int passengers) => CommandResult.Conflict(
        $"The vehicle has {seats} {(seats == 1 ? "seat" : "seats")}, all taken on this transfer: choose another vehicle for this passenger, or a larger one.",
        numbers: new Dictionary<string, int> { ["seats"] = seats, ["passengers"] = passengers });

    private static string AttendeeSnapshot(AttendeeRecord a) =>
        AuditTrail.Snapshot(new { a.PersonId, a.Role, a.Response, a.AcceptanceOrder, a.InvitedAt, a.RespondedAt });

    /// <summary>
    /// Ends the itinerary grain's hold once a reply's booking is written (the grain reads it again, then drops the hold)
    /// or abandoned, without waiting: the calls are one-way. Should one never arrive (that grain's silo has just died),
    /// the hold lapses by itself within seconds and the revision check reads the booking; the change is committed either
    /// way, so the caller is never told it failed.
    /// </summary>
    private void EndHold(IItineraryGrain itinerary, Guid holdId, bool booked)
    {
        if (booked)
        {
            _ = itinerary.Refresh(Id);
        }

        _ = itinerary.Release(Id, holdId);
    }

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

}
