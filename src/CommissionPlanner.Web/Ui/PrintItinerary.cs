using System.Security.Claims;
using CommissionPlanner.Domain;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using NodaTime;

namespace CommissionPlanner.Web.Ui;

/// <summary>
/// A person's itinerary laid out day by day for print. It holds exactly what <c>GET /api/people/{id}/itinerary</c> gives the
/// same caller (<see cref="Visibility.Itinerary(System.Security.Claims.ClaimsPrincipal, ItineraryResource)"/>), and the delegation's contacts only for callers who may read the
/// delegation (<see cref="Visibility.MaySeeDelegationMembers"/>): a delegate's print shows no one the API hides from them.
/// </summary>
public sealed class PrintItinerary
{
    public required ItineraryResource Itinerary { get; init; }

    public required string DelegationName { get; init; }

    public string? HomeZone { get; init; }

    /// <summary>The delegation's head and officials: whom to call.</summary>
    public required IReadOnlyList<PersonResource> Contacts { get; init; }

    public IEnumerable<IGrouping<LocalDate, ItineraryEntry>> Days =>
        Itinerary.Entries.GroupBy(e => Display.Local(e.Start).Date).OrderBy(g => g.Key);

    public static async Task<PrintItinerary?> LoadAsync(PlanningQueries queries, ClaimsPrincipal user, Guid personId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(user);
        if (!user.MaySeePerson(personId) || await queries.Itinerary(personId, ct) is not { } itinerary)
        {
            return null;
        }

        var delegation = await queries.Delegation(itinerary.Person.DelegationId, ct);
        return new PrintItinerary
        {
            Itinerary = user.Itinerary(itinerary),
            DelegationName = delegation?.Name ?? string.Empty,
            HomeZone = Display.HomeZone(delegation?.Country),
            Contacts = user.MaySeeDelegationMembers()
                ? [.. (delegation?.Members ?? []).Where(m => m.RoleOf() is DelegateRole.Head or DelegateRole.Official && m.Id != personId)]
                : [],
        };
    }
}
