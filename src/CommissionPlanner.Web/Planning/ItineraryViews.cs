using System.Security.Claims;
using System.Text.Json;
using CommissionPlanner.Data;
using CommissionPlanner.Web.Security;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CommissionPlanner.Web.Planning;

/// <summary>
/// A person's itinerary as the API serves it (GET /api/people/{id}/itinerary), kept as its JSON per person, visibility
/// (staff, or the delegate's own restricted view: Visibility.Itinerary) and programme change stamp. Every write that can alter an itinerary (an engagement, its list, a venue, the programme, a
/// person, an import) raises the programme's change stamp in its own transaction (ProgrammeChanges), so each request
/// costs one indexed read of the stamp and, while it has not moved, no more: the view is never older than the stamp
/// read at the start of the request, on any silo. Measured in docs/performance.md (deploy/perf/load-test.sh).
/// </summary>
public sealed class ItineraryViews(IDbContextFactory<PlannerDbContext> dbFactory, PlanningQueries queries, IMemoryCache cache, IOptions<JsonOptions> json)
{
    /// <summary>The person's programme and its change stamp in one round trip; compiled once, as every itinerary GET asks it.</summary>
    private static readonly Func<PlannerDbContext, Guid, CancellationToken, Task<long?>> StampOf = EF.CompileAsyncQuery(
        (PlannerDbContext db, Guid personId, CancellationToken ct) => (
            from p in db.People.Where(p => p.Id == personId)
            join programme in db.Programmes on p.ProgrammeId equals programme.Id
            select (long?)programme.ChangeStamp).SingleOrDefault());

    /// <summary>The itinerary's JSON (UTF-8) as <paramref name="viewer"/> may see it, or null when there is no such person.</summary>
    public async Task<byte[]?> GetAsync(Guid personId, ClaimsPrincipal viewer, CancellationToken ct)
    {
        long? stamp;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            stamp = await StampOf(db, personId, ct);
        }

        if (stamp is not { } current)
        {
            return null;
        }

        // The view differs only by whether the viewer is staff (Visibility.Itinerary): one entry per person and tier.
        var key = new ViewKey(personId, viewer.MayReadProgramme());
        if (cache.TryGetValue(key, out View? view) && view!.Stamp == current)
        {
            return view.Json;
        }

        // Built after the stamp was read: a write landing meanwhile makes this view newer than its stamp, never older,
        // and the next request (seeing the new stamp) builds it again.
        var itinerary = await queries.Itinerary(personId, ct);
        if (itinerary is null)
        {
            return null;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(viewer.Itinerary(itinerary), json.Value.SerializerOptions);
        cache.Set(key, new View(current, bytes), new MemoryCacheEntryOptions { Size = bytes.Length, SlidingExpiration = TimeSpan.FromMinutes(30) });
        return bytes;
    }

    private sealed record ViewKey(Guid PersonId, bool Staff);

    private sealed record View(long Stamp, byte[] Json);
}
