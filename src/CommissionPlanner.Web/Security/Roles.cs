namespace CommissionPlanner.Web.Security;

/// <summary>The roles of the HTTP contract. Names are the wire names.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Organiser = "organiser";
    public const string Reviewer = "reviewer";
    public const string Delegate = "delegate";
    public const string Viewer = "viewer";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Admin, Organiser, Reviewer, Delegate, Viewer,
    };
}

/// <summary>Authorization policies used by endpoint groups. Every route without one still needs a signed-in caller.</summary>
public static class Policies
{
    /// <summary>Ministry staff only: keys, and anything that changes who may do what.</summary>
    public const string Admin = "planner:admin";

    /// <summary>Changes to programmes, venues, delegations, engagements and attendee lists.</summary>
    public const string Plan = "planner:plan";

    /// <summary>Programme-wide reads: every role but delegates, who see only themselves.</summary>
    public const string ReadProgramme = "planner:read-programme";

    /// <summary>Research-security decisions.</summary>
    public const string Review = "planner:review";

    /// <summary>
    /// Organisers, or a delegate acting for themself: a person's replies and calendar feeds. The route checks inside
    /// that a delegate names their own person (another person's answers 404, as if it did not exist).
    /// </summary>
    public const string PlanOrSelf = "planner:plan-or-self";

    /// <summary>
    /// Any of the five roles: a person's record and itinerary, which every role may read but a delegate only for
    /// themself (the route checks that inside and answers 404 for anyone else).
    /// </summary>
    public const string AnyRole = "planner:any-role";
}

/// <summary>Claim types the API key handler and the OpenID Connect sign-in issue (beside <c>ClaimTypes.Name</c> and <c>ClaimTypes.Role</c>).</summary>
public static class PlannerClaims
{
    /// <summary>The API key's id (API-key principals only).</summary>
    public const string KeyId = "planner:key-id";

    /// <summary>The person a delegate is bound to.</summary>
    public const string PersonId = "planner:person-id";

    /// <summary>The identity provider's subject (<c>sub</c>) of a signed-in user (JWT principals only).</summary>
    public const string Subject = "planner:subject";
}
