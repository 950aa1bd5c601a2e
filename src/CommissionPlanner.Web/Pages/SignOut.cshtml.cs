using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages;

[PageAuthorize(Policies.AnyRole)]
public sealed class SignOutModel : PlannerPageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var properties = new AuthenticationProperties { RedirectUri = "/sign-in" };
        // A single sign-on session ends at the provider too, where it can: otherwise the next "Sign in with …" would sign
        // the same person straight back in.
        if (await OidcWebSignIn.ProviderSignsOutAsync(HttpContext))
        {
            return SignOut(properties, UiHosting.CookieScheme, OidcWebSignIn.Scheme);
        }

        await HttpContext.SignOutAsync(UiHosting.CookieScheme);
        return Redirect("/sign-in");
    }
}
