using CommissionPlanner.Data;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Data.Queries;
using CommissionPlanner.Domain;
using CommissionPlanner.Domain.Languages;
using Microsoft.EntityFrameworkCore;

namespace CommissionPlanner.Grains;

/// <summary>The engagement and its list as this grain holds them in memory.</summary>
internal sealed partial class EngagementGrain
{
    /// <summary>
    /// The engagement, its venues and its list as last read or written here, for the hottest command (the attendee add);
    /// null until first needed, and again after a claim found it stale. The other commands are rare and change tracked
    /// rows read afresh (their writes claim that reading in the same way), so each first forgets what is held.
    /// </summary>
    private HeldEngagement? held;

    private static readonly Func<PlannerDbContext, Guid, Task<HeldEngagement?>> ReadHeld = EF.CompileAsyncQuery(
        (PlannerDbContext db, Guid engagementId) => (
            from e in db.Engagements.AsNoTracking().Where(e => e.Id == engagementId)
            join origin in db.Venues on e.FromVenueId equals origin.Id
            join destination in db.Venues on e.ToVenueId equals destination.Id
            select new HeldEngagement(e, origin, destination, db.Vehicles.Where(v => v.Id == e.VehicleId).Select(v => (int?)v.Seats).FirstOrDefault()))
            .SingleOrDefault());

    /// <summary>What is held, read first if nothing is; null when there is no such engagement.</summary>
    private async Task<HeldEngagement?> HeldAsync()
    {
        if (held is not null)
        {
            return held;
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        var read = await ReadHeld(db, Id);
        if (read is null)
        {
            return null;
        }

        // Read after the row: a list newer than the row's list revision makes the next claim fail and this read again,
        // never the other way round.
        var list = await (
            from a in db.Attendees.Where(a => a.EngagementId == Id)
            join p in db.People on a.PersonId equals p.Id
            select new { a.PersonId, a.Response, p.FullName, p.Languages, p.Interprets }).ToListAsync();
        read.Listed.UnionWith(list.Select(a => a.PersonId));
        read.Declined = list.Count(a => a.Response == Response.Declined);
        foreach (var a in list.Where(a => a.Response != Response.Declined && a.Languages.Count > 0))
        {
            read.Speakers.Add(new Speaker(a.PersonId, a.FullName, LanguageSpec.FromStored(a.Languages, a.Interprets)));
        }

        return held = read;
    }

    private static readonly Func<PlannerDbContext, Guid, Task<EngagementClaim?>> ReadRevisions = EF.CompileAsyncQuery(
        (PlannerDbContext db, Guid engagementId) => db.Engagements.Where(e => e.Id == engagementId)
            .Select(e => new EngagementClaim(e.Id, e.Revision, e.ListRevision)).SingleOrDefault());

    /// <summary>
    /// Whether what is held is still the database's: one small read, made before a refusal decided on it stands, as
    /// refusals write nothing and so never meet a claim.
    /// </summary>
    private async Task<bool> HeldIsCurrentAsync()
    {
        if (held is null)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        return await ReadRevisions(db, Id) == held.Claim;
    }

    /// <summary>A change made here through a fresh read: what is held is older than the database.</summary>
    private void Forget() => held = null;

    /// <summary>
    /// An engagement with its venues and list, and the revisions they were read at (<see cref="Claim"/>): a write decided
    /// on them claims those revisions, so that it fails, and the grain reads again, if anything else changed them since.
    /// </summary>
    /// <remarks><see cref="Seats"/>: a transfer's vehicle's seats (null for anything else), which its passengers may not exceed.</remarks>
    private sealed record HeldEngagement(EngagementRecord Engagement, VenueRecord From, VenueRecord To, int? Seats)
    {
        /// <summary>Who is on the list: all an add decides on (their rows are read afresh by the commands that change them).</summary>
        public HashSet<Guid> Listed { get; } = [];

        /// <summary>How many on the list declined: the others are a transfer's passengers. Adds are never declined.</summary>
        public int Declined { get; set; }

        public int Passengers => Listed.Count - Declined;

        /// <summary>
        /// Those on the list who have not declined and whose languages are recorded: whom interpreter coverage compares
        /// (<see cref="InterpreterCoverage"/>). A change of anyone's languages moves the list revision, so these are as
        /// current as the claim.
        /// </summary>
        public List<Speaker> Speakers { get; } = [];

        public EngagementClaim Claim => EngagementClaim.Of(Engagement);

        public BookedSlot Slot => BookingQueries.SlotOf(Engagement, From, To);
    }
}
