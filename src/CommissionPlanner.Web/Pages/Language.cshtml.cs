using CommissionPlanner.Data;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CommissionPlanner.Web.Pages;

/// <summary>
/// The language switch in every page's header: keeps the choice in a cookie and, for a signed-in person, in
/// <c>language_choices</c> (restored at their next sign-in, in any browser), then goes back to the page it came from.
/// </summary>
// Anyone may switch, signed in or not (AllowAnonymous); the policy's scheme still reads the session cookie, so a
// signed-in person's choice is kept for them and the form's antiforgery token (bound to them) verifies.
[PageAuthorize(Policies.AnyRole)]
[AllowAnonymous]
public sealed class LanguageModel(IDbContextFactory<PlannerDbContext> dbFactory, IClock clock) : PlannerPageModel
{
    /// <summary>A page saying where the switch is (a GET has nothing to change).</summary>
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? language, string? returnUrl, CancellationToken ct)
    {
        if (UiLanguages.Normalise(language) is not { } chosen)
        {
            return BadRequest();
        }

        UiLanguages.WriteCookie(Response, chosen);
        if (UiLanguages.HolderOf(User) is { } holder)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await UiLanguages.KeepAsync(db, holder, chosen, clock.GetCurrentInstant(), ct);
        }

        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }
}
