using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Logistics;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Npgsql;

namespace CommissionPlanner.Grains;

/// <summary>
/// The single writer of a programme's room blocks and stays. Every change is decided by <see cref="RoomAllocation"/> on
/// the programme's stays and blocks read afresh in the change's own transaction, under the programme's stays lock (a
/// PostgreSQL advisory lock the import takes too), so that no two changes decide on the same counts: the grain serialises
/// the requests, the lock whatever else writes stays (an import, another silo's activation). The database's exclusion
/// constraint keeps anyone from two beds a night.
/// </summary>
internal sealed class AccommodationGrain(IDbContextFactory<PlannerDbContext> dbFactory, IClock clock, IGrainFactory grains)
    : Grain, IAccommodationGrain
{
    private Guid ProgrammeId => this.GetPrimaryKey();

    public async Task<CommandResult> SetRoomBlock(RoomBlockPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        if (!await LockAsync(db))
        {
            return CommandResult.NotFound("programme");
        }

        var stays = await StaysAsync(db);
        if (RoomAllocation.CheckBlock(stays, plan.HotelId, plan.Nights, plan.Rooms) is { } refusal)
        {
            return CommandResult.Conflict(refusal.Detail, numbers: refusal.Numbers);
        }

        var now = clock.GetCurrentInstant();
        var nights = plan.Nights.ToList();
        var existing = await db.RoomBlocks
            .Where(b => b.ProgrammeId == ProgrammeId && b.HotelId == plan.HotelId && nights.Contains(b.Night))
            .ToDictionaryAsync(b => b.Night);
        foreach (var night in nights)
        {
            if (existing.TryGetValue(night, out var block))
            {
                block.Rooms = plan.Rooms;
                block.UpdatedAt = now;
            }
            else
            {
                db.RoomBlocks.Add(new RoomBlockRecord { ProgrammeId = ProgrammeId, HotelId = plan.HotelId, Night = night, Rooms = plan.Rooms, UpdatedAt = now });
            }
        }

        db.Audit(CallerContext.Current(), now, "room-block", plan.HotelId, ProgrammeId, "set", null, AuditTrail.Snapshot(plan));
        await db.SaveChangesAndTouchAsync(ProgrammeId);
        await transaction.CommitAsync();
        return CommandResult.Ok(plan.HotelId);
    }

    public async Task<CommandResult> CreateStay(Guid stayId, Guid personId, StayPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        if (!await LockAsync(db))
        {
            return CommandResult.NotFound("programme");
        }

        if (await db.Stays.AnyAsync(s => s.Id == stayId))
        {
            return CommandResult.Conflict("A stay with this id already exists.");
        }

        if (await PersonProblemAsync(db, personId, plan) is { } problem)
        {
            return problem;
        }

        var now = clock.GetCurrentInstant();
        var record = new StayRecord
        {
            Id = stayId,
            ProgrammeId = ProgrammeId,
            PersonId = personId,
            RoomType = plan.RoomType,
            ReviewStatus = StayReviews.Initial(await SensitiveAsync(db, plan.HotelId)),
            Version = 1,
            CreatedAt = now,
        };
        Apply(record, plan, now);
        return await DecideAndSaveAsync(db, transaction, null, record, "created", null, CommandResult.Created(stayId));
    }

    public async Task<CommandResult> UpdateStay(Guid stayId, StayPlan plan, int expectedVersion, bool versionFromClient)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        if (!await LockAsync(db))
        {
            return CommandResult.NotFound("programme");
        }

        var record = await db.Stays.SingleOrDefaultAsync(s => s.Id == stayId && s.ProgrammeId == ProgrammeId);
        if (record is null)
        {
            return CommandResult.NotFound("stay");
        }

        if (record.Version != expectedVersion)
        {
            return CommandResult.Stale("stay", record.Version, expectedVersion, versionFromClient);
        }

        if (await PersonProblemAsync(db, record.PersonId, plan) is { } problem)
        {
            return problem;
        }

        var replacing = await NightsOfAsync(db, record);
        var before = AuditTrail.Snapshot(record);
        var now = clock.GetCurrentInstant();
        var moved = record.HotelId != plan.HotelId || record.CheckIn != plan.CheckIn || record.CheckOut != plan.CheckOut;
        if (record.HotelId != plan.HotelId)
        {
            record.ReviewStatus = StayReviews.AfterHotelChange(await SensitiveAsync(db, plan.HotelId), everDecided: record.ReviewAt is not null);
        }

        Apply(record, plan, now);
        record.Version++;
        record.Sequence += moved ? 1 : 0;
        return await DecideAndSaveAsync(db, transaction, replacing, record, "updated", before, CommandResult.Ok(stayId));
    }

    public async Task<CommandResult> RemoveStay(Guid stayId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        if (!await LockAsync(db))
        {
            return CommandResult.NotFound("programme");
        }

        var record = await db.Stays.SingleOrDefaultAsync(s => s.Id == stayId && s.ProgrammeId == ProgrammeId);
        if (record is null)
        {
            return CommandResult.NotFound("stay");
        }

        var replacing = await NightsOfAsync(db, record);
        db.Stays.Remove(record);
        return await DecideAndSaveAsync(db, transaction, replacing, null, "removed", AuditTrail.Snapshot(record), CommandResult.Ok(stayId), record);
    }

    public async Task<CommandResult> ReviewStay(Guid stayId, ReviewStatus decision, string note, string reviewer)
    {
        if (!ReviewRules.IsDecided(decision))
        {
            return CommandResult.Invalid("decision", "'decision' must be approved or rejected.");
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        var record = await db.Stays.SingleOrDefaultAsync(s => s.Id == stayId && s.ProgrammeId == ProgrammeId);
        if (record is null)
        {
            return CommandResult.NotFound("stay");
        }

        if (record.ReviewStatus == ReviewStatus.NotRequired)
        {
            return CommandResult.Conflict("This stay is not at a hotel marked sensitive, so it needs no research-security review.");
        }

        var before = AuditTrail.Snapshot(record);
        var now = clock.GetCurrentInstant();
        record.ReviewStatus = decision;
        record.ReviewBy = reviewer;
        record.ReviewAt = now;
        record.ReviewNote = note;
        record.Version++;
        record.UpdatedAt = now;
        db.Audit(CallerContext.Current(), now, "stay", stayId, ProgrammeId, "reviewed", before, AuditTrail.Snapshot(record));
        try
        {
            await db.SaveChangesAndTouchAsync(ProgrammeId);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CommandResult.Conflict("The stay changed while your request was applied. Send the request again.");
        }

        _ = grains.GetGrain<IItineraryGrain>(record.PersonId).Revalidate();
        return CommandResult.Ok(stayId);
    }

    /// <summary>
    /// Decides the change (<paramref name="candidate"/> replacing <paramref name="replacing"/>; either may be null) on the
    /// programme's stays and blocks as the transaction reads them, and writes it with its audit entry; the itineraries of
    /// the person (and of whoever's room a guest shares) then compare with the database and read their stays again.
    /// </summary>
    private async Task<CommandResult> DecideAndSaveAsync(
        PlannerDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, StayNights? replacing, StayRecord? candidate,
        string action, string? before, CommandResult success, StayRecord? removed = null)
    {
        var stays = await StaysAsync(db);
        var blocks = await db.RoomBlocks.AsNoTracking().Where(b => b.ProgrammeId == ProgrammeId).ToDictionaryAsync(b => (b.HotelId, b.Night), b => b.Rooms);
        var next = candidate is null ? null : await NightsOfAsync(db, candidate);
        if (RoomAllocation.CheckStay(stays, replacing, next, blocks) is { } refusal)
        {
            return CommandResult.Conflict(refusal.Detail, numbers: refusal.Numbers);
        }

        if (candidate is not null && replacing is null)
        {
            db.Stays.Add(candidate);
        }

        var stay = candidate ?? removed!;
        db.Audit(CallerContext.Current(), clock.GetCurrentInstant(), "stay", stay.Id, ProgrammeId, action, before,
            candidate is null ? null : AuditTrail.Snapshot(candidate));
        try
        {
            await db.SaveChangesAndTouchAsync(ProgrammeId);
            await transaction.CommitAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            return CommandResult.Conflict("The stay changed while your request was applied. Send the request again.");
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation })
        {
            return CommandResult.Conflict("The person already has a stay on some of these nights.");
        }

        foreach (var personId in new[] { stay.PersonId, stay.SharingWithPersonId, replacing?.SharingWith }.OfType<Guid>().Distinct())
        {
            _ = grains.GetGrain<IItineraryGrain>(personId).Revalidate();
        }

        return success;
    }

    /// <summary>Takes the programme's stays lock for this transaction; false when there is no such programme.</summary>
    private async Task<bool> LockAsync(PlannerDbContext db)
    {
        await StayLocks.LockAsync(db, ProgrammeId);
        return await db.Programmes.AnyAsync(p => p.Id == ProgrammeId);
    }

    /// <summary>The stay's person and the person whose room it shares must be people of this programme.</summary>
    private async Task<CommandResult?> PersonProblemAsync(PlannerDbContext db, Guid personId, StayPlan plan)
    {
        var wanted = new[] { (Guid?)personId, plan.SharingWith }.OfType<Guid>().ToList();
        var found = await db.People.Where(p => wanted.Contains(p.Id) && p.ProgrammeId == ProgrammeId).Select(p => p.Id).ToListAsync();
        if (!found.Contains(personId))
        {
            return CommandResult.NotFound("person");
        }

        return plan.SharingWith is { } host && !found.Contains(host)
            ? CommandResult.Invalid("sharingWith", "'sharingWith' names no person of this programme.")
            : null;
    }

    private async Task<List<StayNights>> StaysAsync(PlannerDbContext db) =>
        await (
            from s in db.Stays.AsNoTracking().Where(s => s.ProgrammeId == ProgrammeId)
            join p in db.People on s.PersonId equals p.Id
            select new StayNights(s.Id, s.PersonId, p.FullName, s.HotelId, s.CheckIn, s.CheckOut, s.SharingWithPersonId))
            .ToListAsync();

    private static async Task<StayNights> NightsOfAsync(PlannerDbContext db, StayRecord stay)
    {
        var name = await db.People.Where(p => p.Id == stay.PersonId).Select(p => p.FullName).SingleAsync();
        return new StayNights(stay.Id, stay.PersonId, name, stay.HotelId, stay.CheckIn, stay.CheckOut, stay.SharingWithPersonId);
    }

    private static Task<bool> SensitiveAsync(PlannerDbContext db, Guid hotelId) => db.Venues.AnyAsync(v => v.Id == hotelId && v.Sensitive);

    private static void Apply(StayRecord record, StayPlan plan, Instant now)
    {
        record.HotelId = plan.HotelId;
        record.CheckIn = plan.CheckIn;
        record.CheckOut = plan.CheckOut;
        record.RoomType = plan.RoomType;
        record.SharingWithPersonId = plan.SharingWith;
        record.Confirmation = plan.Confirmation;
        record.UpdatedAt = now;
    }
}
