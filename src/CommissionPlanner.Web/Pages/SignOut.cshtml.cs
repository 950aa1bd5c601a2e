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
        await HttpContext.SignOutAsync(UiHosting.CookieScheme);
        return Redirect("/sign-in");
    }
}
