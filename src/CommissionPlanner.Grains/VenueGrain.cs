using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Logistics;
using CommissionPlanner.Domain.Planning;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CommissionPlanner.Grains;

/// <summary>
/// The single writer of a venue. Venues are shared by programmes, so a change here re-decides every engagement at the
/// venue, in any programme, within the venue's own transaction.
/// </summary>
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
        var detailsChanged = EngagementRows.ShownDetailsDiffer(record, spec);
        var engagements = await db.Engagements.Where(e => e.FromVenueId == id || e.ToVenueId == id).ToListAsync();
        var venuesBefore = await EngagementRows.VenuesOfAsync(db, engagements, [id]);
        var now = clock.GetCurrentInstant();
        var stays = await db.Stays.Where(x => x.HotelId == id).ToListAsync();
        if (!record.Sensitive && spec.Sensitive)
        {
            // Stays at a hotel newly marked sensitive need a reviewer's decision, as the engagements there do.
            foreach (var stay in stays.Where(x => StayReviews.AfterHotelMarkedSensitive(x.ReviewStatus) != x.ReviewStatus))
            {
                var stayBefore = AuditTrail.Snapshot(stay);
                stay.ReviewStatus = StayReviews.AfterHotelMarkedSensitive(stay.ReviewStatus);
                stay.Version++;
                stay.UpdatedAt = now;
                db.Audit(CallerContext.Current(), now, "stay", stay.Id, stay.ProgrammeId, "venue-changed", stayBefore, AuditTrail.Snapshot(stay));
            }
        }

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

        // Every engagement here is re-decided by the same rules as an edit of the engagement itself (its review, SEQUENCE,
        // capacity and promotions), in this transaction: a venue change is all or nothing.
        var venuesAfter = new Dictionary<Guid, VenueRecord>(venuesBefore) { [id] = record };
        var programmeIds = engagements.Select(e => e.ProgrammeId).Concat(stays.Select(x => x.ProgrammeId)).Distinct().ToList();
        var agreed = await db.Programmes.Where(p => programmeIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Areas);
        var capacityChanged = venuesBefore[id].Capacity != record.Capacity;
        var replies = capacityChanged
            ? await EngagementRows.RepliesOfAsync(db, [.. engagements.Where(e => e.FromVenueId == id && e.Capacity is null).Select(e => e.Id)])
            : [];
        foreach (var engagement in engagements)
        {
            var agreedAreas = agreed[engagement.ProgrammeId];
            var decision = EngagementRows.ChangeAround(engagement, Surroundings.Of(venuesBefore, agreedAreas), Surroundings.Of(venuesAfter, agreedAreas),
                detailsChanged, replies.GetValueOrDefault(engagement.Id) ?? []).Decide();
            if (decision.Refusal is { } refusal)
            {
                return CommandResult.Conflict(refusal.DetailFor(engagement.Title),
                    numbers: new Dictionary<string, int> { ["capacity"] = refusal.Capacity, ["attending"] = refusal.Attending });
            }

            var engagementBefore = EngagementRows.ReviewSnapshot(engagement);
            if (EngagementRows.Apply(db, engagement, decision, now, "a place freed when the venue's capacity was raised"))
            {
                db.Audit(CallerContext.Current(), now, "engagement", engagement.Id, engagement.ProgrammeId, "venue-changed",
                    engagementBefore, EngagementRows.ReviewSnapshot(engagement));
            }
        }

        try
        {
            await db.SaveChangesAndTouchAsync(programmeIds);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CommandResult.Conflict("The venue or one of its engagements changed while your request was applied. Send the request again.");
        }

        // Itineraries show the venue (and places on lists depend on its capacity): everyone booked here reads it again.
        await ItineraryNotices.TellAttendeesAsync(GrainFactory, db, [.. engagements.Select(e => e.Id)]);
        if (stays.Count > 0)
        {
            // Itineraries read a person's stays with the person: moving the guests' revisions makes them read the hotel again.
            var guests = stays.Select(x => x.PersonId).Distinct().ToList();
            await db.People.Where(p => guests.Contains(p.Id)).ExecuteUpdateAsync(p => p.SetProperty(x => x.Revision, x => x.Revision));
            ItineraryNotices.TellPeople(GrainFactory, guests);
        }
        return CommandResult.Ok(id);
    }
}
