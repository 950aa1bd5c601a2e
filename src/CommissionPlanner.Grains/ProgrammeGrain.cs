using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Data.Queries;
using CommissionPlanner.Domain;
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
            NameZh = spec.NameZh,
            StartDate = spec.StartDate,
            EndDate = spec.EndDate,
            TimeZone = spec.TimeZone,
            Areas = [.. spec.Areas],
            NotificationsEnabled = spec.NotificationsEnabled ?? false,
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
        var agreedBefore = record.Areas;
        var now = clock.GetCurrentInstant();
        record.Name = spec.Name;
        record.NameZh = spec.NameZh;
        record.StartDate = spec.StartDate;
        record.EndDate = spec.EndDate;
        record.TimeZone = spec.TimeZone;
        record.Areas = [.. spec.Areas];
        var switchedOn = spec.NotificationsEnabled == true && !record.NotificationsEnabled;
        record.NotificationsEnabled = spec.NotificationsEnabled ?? record.NotificationsEnabled;
        record.Version++;
        record.UpdatedAt = now;
        db.Audit(CallerContext.Current(), now, "programme", id, id, "updated", before, AuditTrail.Snapshot(record));

        var rechecked = new List<Guid>();
        if (!agreedBefore.SequenceEqual(record.Areas, StringComparer.Ordinal))
        {
            // The agreed areas are part of what each engagement's reviewer saw: every engagement of the programme is
            // re-decided by the same rules, in this transaction, so no failure can leave some of them stale.
            var engagements = await db.Engagements.Where(e => e.ProgrammeId == id).ToListAsync();
            var venues = await EngagementRows.VenuesOfAsync(db, engagements, []);
            foreach (var engagement in engagements)
            {
                var decision = EngagementRows.ChangeAround(engagement,
                    Surroundings.Of(venues, agreedBefore), Surroundings.Of(venues, record.Areas), venueDetailsChanged: false, replies: []).Decide();
                var reviewBefore = EngagementRows.ReviewSnapshot(engagement);
                if (EngagementRows.Apply(db, engagement, decision, now, "the programme's agreed areas changed"))
                {
                    rechecked.Add(engagement.Id);
                    db.Audit(CallerContext.Current(), now, "engagement", engagement.Id, id, "review-rechecked", reviewBefore, EngagementRows.ReviewSnapshot(engagement));
                }
            }
        }

        if (switchedOn)
        {
            // From now on people are told of changes: what their feeds show them now is what they know.
            await NotificationViews.RecordProgrammeAsync(db, id, now);
        }

        try
        {
            await db.SaveChangesAndTouchAsync(id);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CommandResult.Conflict("The programme or one of its engagements changed while your request was applied. Send the request again.");
        }

        // Itineraries show each engagement's review: everyone booked where the rules changed something reads it again.
        await ItineraryNotices.TellAttendeesAsync(GrainFactory, db, rechecked);
        return CommandResult.Ok(id);
    }
}
