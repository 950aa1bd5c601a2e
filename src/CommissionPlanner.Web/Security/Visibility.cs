using System.Security.Claims;
using System.Text.RegularExpressions;
using CommissionPlanner.Grains;
using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Planning;

namespace CommissionPlanner.Web.Security;

/// <summary>
/// Who may see which details inside a resource their role may read: the one place both the API and the pages (the
/// itinerary, the printable itinerary, an engagement and its history) take them from, so a page never shows what the API hides.
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
        Itinerary(user.ItineraryViewer(), itinerary);

    /// <summary>Which of an itinerary's views the caller gets: what <see cref="Itinerary(ItineraryViewer, ItineraryResource)"/> depends on.</summary>
    public static ItineraryViewer ItineraryViewer(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(Roles.Admin) ? Grains.ItineraryViewer.Admin
            : user.MayReadProgramme() ? Grains.ItineraryViewer.Staff
            : Grains.ItineraryViewer.Delegate;
    }

    /// <summary>The same, for a viewer known only by their tier (the itinerary grain keeps one view per tier).</summary>
    public static ItineraryResource Itinerary(ItineraryViewer viewer, ItineraryResource itinerary)
    {
        ArgumentNullException.ThrowIfNull(itinerary);
        if (viewer == Grains.ItineraryViewer.Admin)
        {
            return itinerary;
        }

        if (viewer == Grains.ItineraryViewer.Staff)
        {
            return itinerary with
            {
                Entries = [.. itinerary.Entries.Select(e => e with { Review = ReviewerByName(e.Review) })],
                Stays = [.. (itinerary.Stays ?? []).Select(s => s with { Review = ReviewerByName(s.Review) })],
            };
        }

        return itinerary with
        {
            Entries = [.. itinerary.Entries.Select(e => e with
            {
                Review = new ReviewResource(e.Review.Status, null, null, null),
                Venue = e.Venue with { Sensitive = null },
                ToVenue = e.ToVenue is null ? null : e.ToVenue with { Sensitive = null },
            })],
            Stays = [.. (itinerary.Stays ?? []).Select(s => s with
            {
                Review = new ReviewResource(s.Review.Status, null, null, null),
                Hotel = s.Hotel with { Sensitive = null },
            })],
        };
    }

    /// <summary>
    /// A review as this caller may see it: who decided is recorded as the key (or user) with its id; only admins see the id
    /// (as in the audit), everyone else the name alone.
    /// </summary>
    public static ReviewResource Review(this ClaimsPrincipal user, ReviewResource review)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(review);
        return user.IsInRole(Roles.Admin) ? review : ReviewerByName(review);
    }

    /// <summary>An engagement as this caller may see it (its review, <see cref="Review"/>).</summary>
    public static EngagementResource Engagement(this ClaimsPrincipal user, EngagementResource engagement)
    {
        ArgumentNullException.ThrowIfNull(engagement);
        return engagement with { Review = user.Review(engagement.Review) };
    }

    /// <summary>Engagements as this caller may see them.</summary>
    public static IReadOnlyList<EngagementResource> Engagements(this ClaimsPrincipal user, IEnumerable<EngagementResource> engagements) =>
        [.. engagements.Select(user.Engagement)];

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
            : entry with
            {
                KeyId = null, ClientAddress = null, Actor = WithoutKeyId(entry.Actor),
                Before = WithoutReviewerKeyIds(entry.Before), After = WithoutReviewerKeyIds(entry.After),
            };
    }

    /// <summary>An engagement's recorded state with every <c>reviewBy</c> named without its key id.</summary>
    private static System.Text.Json.JsonElement? WithoutReviewerKeyIds(System.Text.Json.JsonElement? state)
    {
        if (state is not { ValueKind: System.Text.Json.JsonValueKind.Object or System.Text.Json.JsonValueKind.Array } value
            || !value.GetRawText().Contains("\"reviewBy\"", StringComparison.Ordinal))
        {
            return state;
        }

        var node = System.Text.Json.Nodes.JsonNode.Parse(value.GetRawText())!;
        StripReviewBy(node);
        return System.Text.Json.JsonSerializer.SerializeToElement(node);
    }

    private static void StripReviewBy(System.Text.Json.Nodes.JsonNode node)
    {
        switch (node)
        {
            case System.Text.Json.Nodes.JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (name == "reviewBy" && child is System.Text.Json.Nodes.JsonValue by && by.TryGetValue(out string? actor))
                    {
                        obj[name] = WithoutKeyId(actor);
                    }
                    else if (child is not null)
                    {
                        StripReviewBy(child);
                    }
                }

                break;
            case System.Text.Json.Nodes.JsonArray array:
                foreach (var child in array.OfType<System.Text.Json.Nodes.JsonNode>())
                {
                    StripReviewBy(child);
                }

                break;
        }
    }

    /// <summary>"Catherine's phone (0196…-…)" → "Catherine's phone": the actor as recorded names the key by its id.</summary>
    /// <summary>The review with its reviewer named without the key id: what everyone but admins sees.</summary>
    private static ReviewResource ReviewerByName(ReviewResource review) =>
        review.By is null ? review : review with { By = WithoutKeyId(review.By) };

    private static string WithoutKeyId(string actor) => TrailingKeyId().Replace(actor, string.Empty);

    [GeneratedRegex(@"\s*\([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\)$", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingKeyId();
}
