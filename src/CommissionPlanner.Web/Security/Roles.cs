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
}

/// <summary>Claim types the API key handler issues.</summary>
public static class PlannerClaims
{
    public const string KeyId = "planner:key-id";
    public const string PersonId = "planner:person-id";
}
