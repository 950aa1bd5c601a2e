using Orleans.Concurrency;
using System.Security.Claims;
using System.Text.Json;
using CommissionPlanner.Data.Entities;
using CommissionPlanner.Data.Queries;
using CommissionPlanner.Domain;
using CommissionPlanner.Grains;
using CommissionPlanner.Web.Security;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CommissionPlanner.Web.Planning;

/// <summary>
/// A person's itinerary as the API serves it (GET /api/people/{id}/itinerary): asked of the person's itinerary grain,
/// which holds the bookings in memory, kept current by the writers, and keeps the JSON it rendered until they change
/// (ItineraryGrain). A GET costs one local grain call and no query.
/// </summary>
public sealed class ItineraryViews(IGrainFactory grains)
{
    /// <summary>The itinerary's JSON (UTF-8) as <paramref name="viewer"/> may see it, or null when there is no such person.</summary>
    public async Task<byte[]?> GetAsync(Guid personId, ClaimsPrincipal viewer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        ct.ThrowIfCancellationRequested();
        // The view differs only by the viewer's tier (Visibility.Itinerary): the grain keeps one of each.
        return (await grains.GetGrain<IItineraryGrain>(personId).View(viewer.ItineraryViewer())).Value;
    }
}

/// <summary>The itinerary grains' renderer: the API's resource and JSON settings, and its visibility rules.</summary>
internal sealed class ItineraryRenderer(IOptions<TravelOptions> travel, IOptions<JsonOptions> json) : IItineraryRenderer
{
    public byte[] Render(PersonRecord person, IReadOnlyCollection<ItineraryBooking> bookings, IReadOnlyList<ItineraryStay> stays, ItineraryViewer viewer)
    {
        var itinerary = PlanningQueries.ItineraryOf(person, bookings, stays, travel.Value);
        return JsonSerializer.SerializeToUtf8Bytes(Visibility.Itinerary(viewer, itinerary), json.Value.SerializerOptions);
    }
}
