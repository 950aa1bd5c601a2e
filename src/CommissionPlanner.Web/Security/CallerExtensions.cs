using System.Security.Claims;

namespace CommissionPlanner.Web.Security;

public static class CallerExtensions
{
    public static Guid? KeyId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(PlannerClaims.KeyId), out var id) ? id : null;

    /// <summary>The person a delegate key is bound to; null for every other role.</summary>
    public static Guid? DelegatePersonId(this ClaimsPrincipal user) =>
        user.IsInRole(Roles.Delegate) && Guid.TryParse(user.FindFirstValue(PlannerClaims.PersonId), out var id) ? id : null;

    /// <summary>Whether the caller may see this person's own data (their record, itinerary).</summary>
    public static bool MaySeePerson(this ClaimsPrincipal user, Guid personId) =>
        !user.IsInRole(Roles.Delegate) || user.DelegatePersonId() == personId;

    /// <summary>The identity provider's subject of a user signed in with a JWT; null for API keys.</summary>
    public static string? Subject(this ClaimsPrincipal user) => user.FindFirstValue(PlannerClaims.Subject);

    /// <summary>
    /// Who made a change, as recorded beside it: for an API key its name and id (<c>"Catherine's phone (0196…)"</c>),
    /// for a signed-in user their name and subject (<c>"Jane Smith (user 8f3c…)"</c>).
    /// </summary>
    public static string Actor(this ClaimsPrincipal user)
    {
        var name = user.Identity?.Name;
        if (user.KeyId() is { } keyId)
        {
            return $"{name ?? "unknown"} ({keyId})";
        }

        return user.Subject() is { } subject
            ? $"{name ?? subject} (user {subject})"
            : $"{name ?? "unknown"} (no key)";
    }
}

public static class ChangeActors
{
    /// <summary>Who is making this request's changes, for the audit trail: the key (or user) and the client's address.</summary>
    public static CommissionPlanner.Data.Entities.ChangeActor ToChangeActor(this HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var user = http.User;
        var client = http.Connection.RemoteIpAddress?.ToString();
        return user.Identity?.IsAuthenticated == true
            ? new CommissionPlanner.Data.Entities.ChangeActor(user.Actor(), user.KeyId(), client, Operations.IdempotentAttempt.Current?.Claim)
            : new CommissionPlanner.Data.Entities.ChangeActor("anonymous", null, client);
    }
}
