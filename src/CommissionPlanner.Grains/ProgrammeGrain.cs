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

    public async Task<CommandResult> Update(ProgrammeSpec spec, int expectedVersion, bool versionFromClient)
    {
        var id = this.GetPrimaryKey();
        await using var db = await dbFactory.CreateDbContextAsync();
        var record = await db.Programmes.SingleOrDefaultAsync(p => p.Id == id);
        if (record is null)
        {
            return CommandResult.NotFound("programme");
        }

        if (record.Version != expectedVersion)
        {
            return CommandResult.Stale("programme", record.Version, expectedVersion, versionFromClient);
        }

        var before = AuditTrail.Snapshot(record);
        var areasChanged = !record.Areas.SequenceEqual(spec.Areas);
        record.Name = spec.Name;
        record.StartDate = spec.StartDate;
        record.EndDate = spec.EndDate;
        record.TimeZone = spec.TimeZone;
        record.Areas = [.. spec.Areas];
        record.Version++;
        record.UpdatedAt = clock.GetCurrentInstant();
        db.Audit(CallerContext.Current(), record.UpdatedAt, "programme", id, id, "updated", before, AuditTrail.Snapshot(record));
        try
        {
            await db.SaveChangesAndTouchAsync(id);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CommandResult.Conflict("The programme changed while your request was applied. Send the request again.");
        }

        if (areasChanged)
        {
            // The agreed areas decide which engagements need a research-security review; each engagement grain,
            // the single writer of its review state, re-evaluates itself.
            var engagementIds = await db.Engagements.Where(e => e.ProgrammeId == id).Select(e => e.Id).ToListAsync();
            await Task.WhenAll(engagementIds.Select(e => GrainFactory.GetGrain<IEngagementGrain>(e).RecheckReview()));
        }

        return CommandResult.Ok(id);
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

    public async Task<CommandResult> Update(VenueSpec spec, int expectedVersion, bool versionFromClient)
    {
        var id = this.GetPrimaryKey();
        await using var db = await dbFactory.CreateDbContextAsync();
        var record = await db.Venues.SingleOrDefaultAsync(v => v.Id == id);
        if (record is null)
        {
            return CommandResult.NotFound("venue");
        }

        if (record.Version != expectedVersion)
        {
            return CommandResult.Stale("venue", record.Version, expectedVersion, versionFromClient);
        }

        var before = AuditTrail.Snapshot(record);
        var sensitivityChanged = record.Sensitive != spec.Sensitive;
        // Feeds show the venue's name, address, city, country and coordinates; times are shown in its zone.
        var placeMoved = record.Name != spec.Name || record.LocalName != spec.LocalName || record.Address != spec.Address
            || record.City != spec.City || record.Country != spec.Country || record.TimeZone != spec.TimeZone
            || !record.Latitude.Equals(spec.Point.Latitude) || !record.Longitude.Equals(spec.Point.Longitude);
        var now = clock.GetCurrentInstant();
        record.Name = spec.Name;
        record.LocalName = spec.LocalName;
        record.Address = spec.Address;
        record.City = spec.City;
        record.Country = spec.Country;
        record.TimeZone = spec.TimeZone;
        record.Latitude = spec.Point.Latitude;
        record.Longitude = spec.Point.Longitude;
        record.Capacity = spec.Capacity;
        record.Sensitive = spec.Sensitive;
        record.Version++;
        record.UpdatedAt = now;
        db.Audit(CallerContext.Current(), now, "venue", id, null, "updated", before, AuditTrail.Snapshot(record));

        var engagements = await db.Engagements.Where(e => e.FromVenueId == id || e.ToVenueId == id).ToListAsync();
        if (placeMoved)
        {
            foreach (var engagement in engagements)
            {
                // A calendar only takes an event's new LOCATION when its SEQUENCE goes up.
                engagement.Sequence++;
                engagement.Version++;
                engagement.UpdatedAt = now;
            }
        }

        var programmeIds = engagements.Select(e => e.ProgrammeId).Distinct().ToList();
        try
        {
            await db.SaveChangesAndTouchAsync(programmeIds);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CommandResult.Conflict("The venue or one of its engagements changed while your request was applied. Send the request again.");
        }

        if (sensitivityChanged)
        {
            // Any engagement at a sensitive site needs a review: let each engagement grain re-evaluate itself.
            await Task.WhenAll(engagements.Select(e => GrainFactory.GetGrain<IEngagementGrain>(e.Id).RecheckReview()));
        }

        return CommandResult.Ok(id);
    }
}
