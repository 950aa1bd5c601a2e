using CommissionPlanner.Data;
using Microsoft.EntityFrameworkCore;

namespace CommissionPlanner.Grains;

/// <summary>
/// How writers other than an engagement's own grain (a venue, a programme, a member edit, an import) tell the itinerary
/// grains what they committed. One-way calls: the writer never waits for them, and one lost with a dying silo is caught
/// by the itinerary's revision check (ItineraryGrain).
/// </summary>
public static class ItineraryNotices
{
    /// <summary>Everyone booked at <paramref name="engagementIds"/> reads that booking again. Call after the commit.</summary>
    public static async Task TellAttendeesAsync(IGrainFactory grains, PlannerDbContext db, IReadOnlyCollection<Guid> engagementIds)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(db);
        if (engagementIds.Count == 0)
        {
            return;
        }

        var bookings = await db.Attendees.AsNoTracking().Where(a => engagementIds.Contains(a.EngagementId))
            .Select(a => new { a.PersonId, a.EngagementId }).ToListAsync();
        foreach (var booking in bookings)
        {
            _ = grains.GetGrain<IItineraryGrain>(booking.PersonId).Refresh(booking.EngagementId);
        }
    }

    /// <summary>
    /// Each person's itinerary compares all its revisions with the database's. A grain that holds nothing yet only
    /// activates and returns, so telling every person of a programme after an import is cheap.
    /// </summary>
    public static void TellPeople(IGrainFactory grains, IEnumerable<Guid> personIds)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(personIds);
        foreach (var personId in personIds.Distinct())
        {
            _ = grains.GetGrain<IItineraryGrain>(personId).Revalidate();
        }
    }

    /// <summary><see cref="TellPeople"/> for everyone in the programmes, read from the database.</summary>
    public static async Task TellProgrammesAsync(IGrainFactory grains, PlannerDbContext db, IReadOnlyCollection<Guid> programmeIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (programmeIds.Count == 0)
        {
            return;
        }

        TellPeople(grains, await db.People.AsNoTracking().Where(p => programmeIds.Contains(p.ProgrammeId)).Select(p => p.Id).ToListAsync(ct));
    }
}
