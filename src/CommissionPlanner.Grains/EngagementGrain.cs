using Orleans.Concurrency;
using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Data.Queries;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Logistics;
using CommissionPlanner.Domain.Planning;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Npgsql;

namespace CommissionPlanner.Grains;

/// <summary>
/// The single writer of one engagement and its attendee list. Attendee adds are decided on the engagement and list it
/// holds in memory (EngagementGrain.Held.cs), and their write claims the revisions they were read at, so an import,
/// a venue edit or another silo's earlier activation can never leave a stale copy writing; the rarer commands read
/// their rows afresh and write them in one transaction, guarded by the row's Version.
/// </summary>
internal sealed partial class EngagementGrain(IDbContextFactory<PlannerDbContext> dbFactory, IClock clock, IGrainFactory grains)
    : Grain, IEngagementGrain
{
    private const EngagementStatus Cancelled = EngagementStatus.Cancelled;
    private const EngagementStatus Confirmed = EngagementStatus.Confirmed;
    private const EngagementStatus Tentative = EngagementStatus.Tentative;

    private Guid Id => this.GetPrimaryKey();

    public async Task<CommandResult> Create(Guid programmeId, EngagementPlan plan)
    {
        Forget();
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
            Kind = plan.Kind,
            Title = plan.Title,
            Status = Tentative,
            StartZone = plan.StartZone,
            EndZone = plan.EndZone,
            ReviewStatus = review,
            Version = 1,
            Sequence = 0,
            CreatedAt = now,
        };
        Apply(record, plan, now);
        db.Engagements.Add(record);
        db.Audit(CallerContext.Current(), now, "engagement", Id, programmeId, "created", null, AuditTrail.Snapshot(record));
        return await WithVehicleAsync(plan, programmeId, passengers: 0, async () =>
        {
            try
            {
                await db.SaveChangesAndTouchAsync(programmeId);
                return CommandResult.Created(Id);
            }
            catch (DbUpdateException ex) when (IsVehicleTaken(ex))
            {
                return VehicleTaken;
            }
        });
    }

    /// <summary>The database's refusal of a vehicle on two transfers at once (migration Logistics).</summary>
    private const string VehicleTimeConstraint = "ex_engagements_vehicle_time";

    private static readonly CommandResult VehicleTaken =
        CommandResult.Conflict("The vehicle is on another transfer at that time. Choose another vehicle or time.");

    private static bool IsVehicleTaken(Exception ex) =>
        ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation, ConstraintName: VehicleTimeConstraint };

    /// <summary>
    /// Runs <paramref name="save"/> with the plan's vehicle (if any) held for its time by the vehicle's grain, which answers
    /// whether another transfer has it then, and released once the save has committed or failed: the next booking check
    /// reads what was written. A vehicle with fewer seats than the transfer's <paramref name="passengers"/> is refused.
    /// </summary>
    private async Task<CommandResult> WithVehicleAsync(EngagementPlan plan, Guid programmeId, int passengers, Func<Task<CommandResult>> save)
    {
        if (plan.VehicleId is not { } vehicleId)
        {
            return await save();
        }

        var vehicle = grains.GetGrain<IVehicleGrain>(vehicleId);
        var reservation = await vehicle.Reserve(new VehicleBooking(Id, programmeId, plan.StartUtc, plan.EndUtc));
        if (!reservation.Reserved)
        {
            return reservation.Unknown ? CommandResult.Invalid("vehicleId", reservation.Problem!) : CommandResult.Conflict(reservation.Problem!);
        }

        try
        {
            if (passengers > reservation.Seats)
            {
                return CommandResult.Conflict(
                    $"The vehicle has {reservation.Seats} seats and this transfer {passengers} passengers: choose a larger vehicle, or move passengers first.",
                    numbers: new Dictionary<string, int> { ["seats"] = reservation.Seats, ["passengers"] = passengers });
            }

            return await save();
        }
        finally
        {
            _ = vehicle.Release(Id, reservation.HoldId);
        }
    }

    public async Task<CommandResult> Update(EngagementPlan plan, int expectedVersion, bool versionFromClient)
    {
        Forget();
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

        if ((plan.Kind == EngagementKind.Travel) != (record.Kind == EngagementKind.Travel))
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
        var status = record.Status;
        var change = new EngagementChange
        {
            StatusBefore = status,
            StatusAfter = status,
            Review = record.ReviewStatus,
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
                var clashes = await grains.GetGrain<IItineraryGrain>(attendee.PersonId).Evaluate(new Immutable<BookedSlot>(slot));
                attendee.HoldsTime = !clashes.Any(c => c.TimesOverlap);
                warnings.AddRange(clashes);
            }
        }

        db.Audit(CallerContext.Current(), now, "engagement", Id, record.ProgrammeId, "updated", before, AuditTrail.Snapshot(record));
        var passengers = attendees.Count(a => a.Response != Response.Declined);
        var saved = await WithVehicleAsync(plan, record.ProgrammeId, passengers,
            () => SaveAsync(db, EngagementClaim.Of(record), record.ProgrammeId, CommandResult.Ok(Id, warnings)));
        TellItineraries(saved, attendees.Select(a => a.PersonId));
        return saved;
    }

    public async Task<CommandResult> Confirm()
    {
        Forget();
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

        var review = record.ReviewStatus;
        if (!ReviewRules.AllowsConfirmation(review))
        {
            return CommandResult.Conflict(review == ReviewStatus.Rejected
                ? "A research-security reviewer rejected this engagement; it cannot be confirmed."
                : "This engagement needs a research-security review before it can be confirmed.");
        }

        if (record.Status != Confirmed)
        {
            var before = AuditTrail.Snapshot(record);
            var shownBefore = EngagementChange.Shown(record.Status, review);
            record.Status = Confirmed;
            record.Version++;
            record.Sequence += shownBefore == EngagementChange.Shown(EngagementStatus.Confirmed, review) ? 0 : 1;
            record.UpdatedAt = clock.GetCurrentInstant();
            db.Audit(CallerContext.Current(), record.UpdatedAt, "engagement", Id, record.ProgrammeId, "confirmed", before, AuditTrail.Snapshot(record));
            return await SaveAndTellListAsync(db, record);
        }

        return CommandResult.Ok(Id);
    }

    public async Task<CommandResult> Cancel(string reason)
    {
        Forget();
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
        var attendees = await db.Attendees.Where(a => a.EngagementId == Id).ToListAsync();
        foreach (var attendee in attendees)
        {
            attendee.HoldsTime = false;
        }

        db.Audit(CallerContext.Current(), now, "engagement", Id, record.ProgrammeId, "cancelled", before, AuditTrail.Snapshot(record));
        var saved = await SaveAsync(db, EngagementClaim.Of(record), record.ProgrammeId, CommandResult.Ok(Id));
        TellItineraries(saved, attendees.Select(a => a.PersonId));
        return saved;
    }

    public async Task<CommandResult> Review(ReviewStatus decision, string note, string reviewer)
    {
        Forget();
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

        var status = record.Status;
        var current = record.ReviewStatus;
        if (ReviewRules.ValidateDecision(current, status) is { } problem)
        {
            return CommandResult.Conflict(problem);
        }

        var before = AuditTrail.Snapshot(record);
        var now = clock.GetCurrentInstant();
        record.ReviewStatus = decision;
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
        return await SaveAndTellListAsync(db, record);
    }


    private static void Apply(EngagementRecord record, EngagementPlan plan, Instant now)
    {
        record.Kind = plan.Kind;
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
        record.TitleZh = plan.TitleZh;
        record.DescriptionZh = plan.DescriptionZh;
        record.TravelMode = plan.Mode;
        record.TravelReference = plan.Reference;
        record.VehicleId = plan.VehicleId;
        record.UpdatedAt = now;
    }

    /// <summary>
    /// After a committed change, each listed person's itinerary grain reads the booking again. One-way: the writer does
    /// not wait, and a call lost with a dying silo is caught by the itinerary's revision check (ItineraryGrain).
    /// </summary>
    private void TellItineraries(CommandResult saved, IEnumerable<Guid> personIds)
    {
        if (!saved.Succeeded)
        {
            return;
        }

        foreach (var personId in personIds.Distinct())
        {
            _ = grains.GetGrain<IItineraryGrain>(personId).Refresh(Id);
        }
    }

    /// <summary>Saves a change to the engagement's own row and tells everyone on its list (read after the save).</summary>
    private async Task<CommandResult> SaveAndTellListAsync(PlannerDbContext db, EngagementRecord record)
    {
        var saved = await SaveAsync(db, EngagementClaim.Of(record), record.ProgrammeId, CommandResult.Ok(Id));
        if (saved.Succeeded)
        {
            TellItineraries(saved, await db.Attendees.Where(a => a.EngagementId == Id).Select(a => a.PersonId).ToListAsync());
        }

        return saved;
    }

    private static async Task<BookedSlot> SlotOf(PlannerDbContext db, EngagementRecord record)
    {
        var venues = await db.Venues.AsNoTracking()
            .Where(v => v.Id == record.FromVenueId || v.Id == record.ToVenueId)
            .ToDictionaryAsync(v => v.Id);
        return BookingQueries.SlotOf(record, venues[record.FromVenueId], venues[record.ToVenueId]);
    }

    private static CommandResult StaleVersion(int current, int expected, bool versionFromClient) => CommandResult.Conflict(
        versionFromClient
            ? $"The engagement has changed since you read it (your If-Match is version {expected}, it is now {current}). Read it again and reapply your change."
            : "The engagement changed while your request was applied. Send the request again.",
        numbers: new Dictionary<string, int> { ["currentVersion"] = current });

    /// <summary>
    /// Saves a change decided on <paramref name="claim"/>'s reading of the engagement and its list (read afresh by the
    /// command), in one transaction that first claims that reading: should an import or any other writer have changed
    /// either since, nothing is written and the caller is asked to send the request again.
    /// </summary>
    private static async Task<CommandResult> SaveAsync(PlannerDbContext db, EngagementClaim claim, Guid programmeId, CommandResult success)
    {
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await claim.ClaimAsync(db);
            await db.SaveChangesAndTouchAsync(programmeId);
            await transaction.CommitAsync();
            return success;
        }
        catch (Exception ex) when (ex is DbUpdateConcurrencyException || EngagementClaim.IsStale(ex))
        {
            return CommandResult.Conflict("The engagement changed while your request was applied. Send the request again.");
        }
        catch (DbUpdateException ex) when (IsVehicleTaken(ex))
        {
            return VehicleTaken;
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation })
        {
            // The itinerary grain's check is the rule; the database's exclusion constraint is the backstop.
            return CommandResult.Conflict("The person is already booked at that time.");
        }
    }
}
