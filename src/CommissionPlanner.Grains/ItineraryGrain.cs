using CommissionPlanner.Data;
using CommissionPlanner.Data.Queries;
using CommissionPlanner.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CommissionPlanner.Grains;

/// <summary>
/// Serialises one person's booking checks. The person's committed bookings near the slot being checked are read from
/// PostgreSQL on each check (the database is the truth, also after an import or a crash); bookings approved but not yet
/// committed by their engagement grain are held here, so a concurrent check sees them.
/// </summary>
internal sealed class ItineraryGrain(IDbContextFactory<PlannerDbContext> dbFactory, IOptions<TravelOptions> travel, IClock clock)
    : Grain, IItineraryGrain
{
    /// <summary>A hold whose engagement grain never came back (its silo died) lapses after this.</summary>
    private static readonly Duration HoldLifetime = Duration.FromSeconds(30);

    private readonly Dictionary<Guid, (BookedSlot Slot, Instant Until, Guid HoldId)> holds = [];

    public async Task<ReservationResult> Reserve(BookedSlot slot)
    {
        var clashes = await ClashesFor(slot);
        if (clashes.Count > 0)
        {
            return new ReservationResult(false, clashes);
        }

        var holdId = Guid.NewGuid();
        holds[slot.EngagementId] = (slot, clock.GetCurrentInstant() + HoldLifetime, holdId);
        return new ReservationResult(true, [], holdId);
    }

    public Task<IReadOnlyList<ClashInfo>> Evaluate(BookedSlot slot) => ClashesFor(slot);

    public Task Release(Guid engagementId, Guid holdId)
    {
        if (holds.TryGetValue(engagementId, out var hold) && hold.HoldId == holdId)
        {
            holds.Remove(engagementId);
        }

        return Task.CompletedTask;
    }

    private async Task<IReadOnlyList<ClashInfo>> ClashesFor(BookedSlot slot)
    {
        var personId = this.GetPrimaryKey();
        await using var db = await dbFactory.CreateDbContextAsync();
        var committed = await BookingQueries.ForPersonWithinAsync(db, personId, ItineraryRules.RelevantWindow(slot, travel.Value), CancellationToken.None);

        var now = clock.GetCurrentInstant();
        foreach (var lapsed in holds.Where(h => h.Value.Until < now).Select(h => h.Key).ToList())
        {
            holds.Remove(lapsed);
        }

        // Holds are kept whatever their time: there are few, and ClashesWith finds the relevant ones itself.
        var existing = committed
            .Where(b => BookingQueries.HoldsTime(b.Status, b.Response))
            .Select(b => b.Slot)
            .Where(s => !holds.ContainsKey(s.EngagementId))
            .Concat(holds.Values.Select(h => h.Slot))
            .ToList();

        return ItineraryRules.ClashesWith(existing, slot, travel.Value)
            .Select(c => new ClashInfo(personId, ClashKinds.ToWire(c.Kind), c.EngagementIds, c.Detail))
            .ToList();
    }
}
