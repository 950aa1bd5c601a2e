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

    /// <summary>Who made a change, as recorded beside it: the key's name and id.</summary>
    public static string Actor(this ClaimsPrincipal user) =>
        $"{user.Identity?.Name ?? "unknown"} ({user.KeyId()?.ToString() ?? "no key"})";
}
