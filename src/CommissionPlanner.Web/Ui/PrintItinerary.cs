using CommissionPlanner.Web.Planning;
using NodaTime;

namespace CommissionPlanner.Web.Ui;

/// <summary>A person's itinerary laid out day by day for print, with the engagement details the briefing pack needs.</summary>
public sealed class PrintItinerary
{
    public required ItineraryResource Itinerary { get; init; }

    public required IReadOnlyDictionary<Guid, EngagementResource> Engagements { get; init; }

    public required string DelegationName { get; init; }

    public string? HomeZone { get; init; }

    /// <summary>The delegation's head and officials: whom to call.</summary>
    public required IReadOnlyList<PersonResource> Contacts { get; init; }

    public IEnumerable<IGrouping<LocalDate, ItineraryEntry>> Days =>
        Itinerary.Entries.GroupBy(e => Display.Local(e.Start).Date).OrderBy(g => g.Key);

    public static async Task<PrintItinerary?> LoadAsync(PlanningQueries queries, Guid personId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(queries);
        if (await queries.Itinerary(personId, ct) is not { } itinerary)
        {
            return null;
        }

        var engagements = new Dictionary<Guid, EngagementResource>();
        foreach (var entry in itinerary.Entries)
        {
            if (await queries.Engagement(entry.EngagementId, ct) is { } engagement)
            {
                engagements[entry.EngagementId] = engagement;
            }
        }

        var delegation = await queries.Delegation(itinerary.Person.DelegationId, ct);
        return new PrintItinerary
        {
            Itinerary = itinerary,
            Engagements = engagements,
            DelegationName = delegation?.Name ?? string.Empty,
            HomeZone = Display.HomeZone(delegation?.Country),
            Contacts = [.. (delegation?.Members ?? []).Where(m => m.Role is "head" or "official" && m.Id != personId)],
        };
    }
}
