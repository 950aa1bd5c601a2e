using System.Security.Claims;
using System.Text.RegularExpressions;
using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Planning;

namespace CommissionPlanner.Web.Security;

/// <summary>
/// Who may see which details inside a resource their role may read: the one place both the API and the pages (the
/// itinerary, the printable itinerary, an engagement's history) take them from, so a page never shows what the API hides.
/// </summary>
public static partial class Visibility
{
    /// <summary>Programme-wide reads (<see cref="Policies.ReadProgramme"/>): staff, reviewers and viewers; not delegates.</summary>
    public static bool MayReadProgramme(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Organiser) || user.IsInRole(Roles.Reviewer) || user.IsInRole(Roles.Viewer);
    }

    /// <summary>
    /// A person's itinerary as this caller may see it. A delegate (who may read only their own) sees each engagement's review
    /// status but not who reviewed it, when, or their note, and not whether a venue is marked sensitive: research-security
    /// review is internal to the ministry.
    /// </summary>
    public static ItineraryResource Itinerary(this ClaimsPrincipal user, ItineraryResource itinerary) =>
        Itinerary(user.MayReadProgramme(), itinerary);

    /// <summary>The same, for a viewer known only as staff (who may read the programme) or not.</summary>
    public static ItineraryResource Itinerary(bool staff, ItineraryResource itinerary)
    {
        ArgumentNullException.ThrowIfNull(itinerary);
        if (staff)
        {
            return itinerary;
        }

        return itinerary with
        {
            Entries = [.. itinerary.Entries.Select(e => e with
            {
                Review = new ReviewResource(e.Review.Status, null, null, null),
                Venue = e.Venue with { Sensitive = null },
                ToVenue = e.ToVenue is null ? null : e.ToVenue with { Sensitive = null },
            })],
        };
    }

    /// <summary>Whether the caller may see the people of a delegation (names, titles, e-mail addresses): as <c>GET /api/delegations/{id}</c>.</summary>
    public static bool MaySeeDelegationMembers(this ClaimsPrincipal user) => user.MayReadProgramme();

    /// <summary>
    /// An audit entry as this caller may see it: the client's address and the key's id are for admins only (they say which
    /// key to revoke and where it was used); everyone else sees who made the change by name.
    /// </summary>
    public static AuditEntryResource AuditEntry(this ClaimsPrincipal user, AuditEntryResource entry)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(entry);
        return user.IsInRole(Roles.Admin)
            ? entry
            : entry with { KeyId = null, ClientAddress = null, Actor = WithoutKeyId(entry.Actor) };
    }

    /// <summary>"Catherine's phone (0196…-…)" → "Catherine's phone": the actor as recorded names the key by its id.</summary>
    private static string WithoutKeyId(string actor) => TrailingKeyId().Replace(actor, string.Empty);

    [GeneratedRegex(@"\s*\([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\)$", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingKeyId();
}
