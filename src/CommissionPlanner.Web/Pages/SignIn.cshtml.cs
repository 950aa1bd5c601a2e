using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages;

[AllowAnonymous]
public sealed class SignInModel : PlannerPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? key, CancellationToken ct)
    {
        // The same check as Authorization: Bearer (ApiKeyLookup): the bootstrap key or a stored, unrevoked key.
        var lookup = HttpContext.RequestServices.GetRequiredService<ApiKeyLookup>();
        var found = await lookup.FindAsync(key, ct);
        if (found is null)
        {
            Problem = "That key is not known, or it has been revoked.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await UiHosting.SignInAsync(HttpContext, found, key!);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
