using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Logistics;
using CommissionPlanner.Domain.Planning;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CommissionPlanner.Grains;

/// <summary>
/// The single writer of a vehicle, and the one place its transfers are booked. A booking check reads the vehicle's
/// transfers afresh (vehicles are booked a few times a day, so nothing is held but the holds granted and not yet written),
/// and holds the time for the transfer that asked until it says it has written or given up: two transfers asking at once,
/// from any silos, meet here one after the other. Should two activations ever race, the database's exclusion constraint
/// on a vehicle's transfer times refuses the second write.
/// </summary>
internal sealed class VehicleGrain(IDbContextFactory<PlannerDbContext> dbFactory, IClock clock) : Grain, IVehicleGrain
{
    /// <summary>A hold whose transfer never came back (its silo died) lapses after this.</summary>
    private static readonly Duration HoldLifetime = Duration.FromSeconds(30);

    private readonly Dictionary<Guid, (Interval Time, Instant Until, Guid HoldId)> holds = [];

    private Guid Id => this.GetPrimaryKey();

    public async Task<CommandResult> Create(Guid programmeId, VehicleSpec spec)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        if (!await db.Programmes.AnyAsync(p => p.Id == programmeId))
        {
            return CommandResult.NotFound("programme");
        }

        if (await db.Vehicles.AnyAsync(v => v.Id == Id))
        {
            return CommandResult.Conflict("A vehicle with this id already exists.");
        }

        var now = clock.GetCurrentInstant();
        var record = new VehicleRecord { Id = Id, ProgrammeId = programmeId, Label = spec.Label, Version = 1, CreatedAt = now };
        Apply(record, spec, now);
        db.Vehicles.Add(record);
        db.Audit(CallerContext.Current(), now, "vehicle", Id, programmeId, "created", null, AuditTrail.Snapshot(record));
        await db.SaveChangesAndTouchAsync(programmeId);
        return CommandResult.Created(Id);
    }

    public async Task<CommandResult> Update(VehicleSpec spec, int expectedVersion, bool versionFromClient)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var record = await db.Vehicles.SingleOrDefaultAsync(v => v.Id == Id);
        if (record is null)
        {
            return CommandResult.NotFound("vehicle");
        }

        if (record.Version != expectedVersion)
        {
            return CommandResult.Stale("vehicle", record.Version, expectedVersion, versionFromClient);
        }

        if (spec.Seats < record.Seats)
        {
            // Passengers already booked keep their seats: the most on any transfer still to run bounds the seats.
            var busiest = await db.Engagements
                .Where(e => e.VehicleId == Id && e.Status != EngagementStatus.Cancelled)
                .Select(e => new { e.Title, Passengers = db.Attendees.Count(a => a.EngagementId == e.Id && a.Response != Response.Declined) })
                .OrderByDescending(e => e.Passengers)
                .FirstOrDefaultAsync();
            if (busiest is not null && busiest.Passengers > spec.Seats)
            {
                return CommandResult.Conflict(
                    $"The seats cannot be lowered to {spec.Seats}: the transfer '{busiest.Title}' has {busiest.Passengers} passengers. "
                    + "Move passengers to another vehicle first.",
                    numbers: new Dictionary<string, int> { ["seats"] = spec.Seats, ["passengers"] = busiest.Passengers });
            }
        }

        var before = AuditTrail.Snapshot(record);
        var now = clock.GetCurrentInstant();
        Apply(record, spec, now);
        record.Version++;
        db.Audit(CallerContext.Current(), now, "vehicle", Id, record.ProgrammeId, "updated", before, AuditTrail.Snapshot(record));
        try
        {
            await db.SaveChangesAndTouchAsync(record.ProgrammeId);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CommandResult.Conflict("The vehicle changed while your request was applied. Send the request again.");
        }

        return CommandResult.Ok(Id);
    }

    public async Task<VehicleReservation> Reserve(VehicleBooking booking)
    {
        ArgumentNullException.ThrowIfNull(booking);
        var (engagementId, programmeId, start, end) = (booking.EngagementId, booking.ProgrammeId, booking.Start, booking.End);
        var time = new Interval(start, end);
        await using var db = await dbFactory.CreateDbContextAsync();
        var vehicle = await db.Vehicles.AsNoTracking().SingleOrDefaultAsync(v => v.Id == Id);
        if (vehicle is null || vehicle.ProgrammeId != programmeId)
        {
            return new VehicleReservation(false, "'vehicleId' does not name a vehicle of this programme.", Unknown: true);
        }

        var other = await db.Engagements.AsNoTracking()
            .Where(e => e.VehicleId == Id && e.Id != engagementId && e.Status != EngagementStatus.Cancelled && e.StartUtc < end && start < e.EndUtc)
            .OrderBy(e => e.StartUtc)
            .Select(e => new { e.Title, e.StartLocal, e.EndLocal, e.StartZone })
            .FirstOrDefaultAsync();
        if (other is not null)
        {
            return new VehicleReservation(false,
                $"{vehicle.Label} is on the transfer '{other.Title}' from {WireTime.FormatLocal(other.StartLocal)} to {WireTime.FormatLocal(other.EndLocal)} "
                + $"({other.StartZone}) at that time. Choose another vehicle or time.");
        }

        var now = clock.GetCurrentInstant();
        foreach (var lapsed in holds.Where(h => h.Value.Until < now).Select(h => h.Key).ToList())
        {
            holds.Remove(lapsed);
        }

        if (holds.Any(h => h.Key != engagementId && h.Value.Time.Start < end && start < h.Value.Time.End))
        {
            return new VehicleReservation(false, $"{vehicle.Label} is being booked for another transfer at that time. Choose another vehicle or time.");
        }

        var holdId = Guid.NewGuid();
        holds[engagementId] = (time, now + HoldLifetime, holdId);
        return new VehicleReservation(true, HoldId: holdId, Seats: vehicle.Seats);
    }

    public Task Release(Guid engagementId, Guid holdId)
    {
        if (holds.TryGetValue(engagementId, out var hold) && hold.HoldId == holdId)
        {
            holds.Remove(engagementId);
        }

        return Task.CompletedTask;
    }

    private static void Apply(VehicleRecord record, VehicleSpec spec, Instant now)
    {
        record.Label = spec.Label;
        record.Seats = spec.Seats;
        record.DriverName = spec.DriverName;
        record.DriverPhone = spec.DriverPhone;
        record.UpdatedAt = now;
    }
}
