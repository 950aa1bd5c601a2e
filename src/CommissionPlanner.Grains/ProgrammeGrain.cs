using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain.Planning;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CommissionPlanner.Grains;

internal sealed class ProgrammeGrain(IDbContextFactory<PlannerDbContext> dbFactory, IClock clock) : Grain, IProgrammeGrain
{
    public async Task<CommandResult> Create(ProgrammeSpec spec)
    {
        var id = this.GetPrimaryKey();
        await using var db = await dbFactory.CreateDbContextAsync();
        if (await db.Programmes.AnyAsync(p => p.Id == id))
        {
            return CommandResult.Conflict("A programme with this id already exists.");
        }

        var now = clock.GetCurrentInstant();
        var record = new ProgrammeRecord
        {
            Id = id,
            Name = spec.Name,
            StartDate = spec.StartDate,
            EndDate = spec.EndDate,
            TimeZone = spec.TimeZone,
            Areas = [.. spec.Areas],
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Programmes.Add(record);
        db.Audit(CallerContext.Current(), now, "programme", id, id, "created", null, AuditTrail.Snapshot(record));
        await db.SaveChangesAsync();
        return CommandResult.Created(id);
    }
}

internal sealed class VenueGrain(IDbContextFactory<PlannerDbContext> dbFactory, IClock clock) : Grain, IVenueGrain
{
    public async Task<CommandResult> Create(VenueSpec spec)
    {
        var id = this.GetPrimaryKey();
        await using var db = await dbFactory.CreateDbContextAsync();
        if (await db.Venues.AnyAsync(v => v.Id == id))
        {
            return CommandResult.Conflict("A venue with this id already exists.");
        }

        var now = clock.GetCurrentInstant();
        var record = new VenueRecord
        {
            Id = id,
            Name = spec.Name,
            LocalName = spec.LocalName,
            Address = spec.Address,
            City = spec.City,
            Country = spec.Country,
            TimeZone = spec.TimeZone,
            Latitude = spec.Point.Latitude,
            Longitude = spec.Point.Longitude,
            Capacity = spec.Capacity,
            Sensitive = spec.Sensitive,
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Venues.Add(record);
        db.Audit(CallerContext.Current(), now, "venue", id, null, "created", null, AuditTrail.Snapshot(record));
        await db.SaveChangesAsync();
        return CommandResult.Created(id);
    }
}
