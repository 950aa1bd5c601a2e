using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CommissionPlanner.Web.Pages;

[AllowAnonymous]
public sealed class SignInModel(IOptions<OidcOptions> oidc) : PlannerPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Set when the identity provider sent the browser back without a sign-in (refused, cancelled, or an invalid answer).</summary>
    [BindProperty(SupportsGet = true, Name = "error")]
    public string? Error { get; set; }

    /// <summary>"Sign in with …" beside the key form, when single sign-on is configured.</summary>
    public string? Provider => oidc.Value.WebSignInEnabled ? oidc.Value.ProviderName : null;

    /// <summary>After single sign-on: where the continuation page moves on to.</summary>
    public string? ContinueTo { get; private set; }

    /// <summary>Only local addresses: a sign-in link must not send anyone elsewhere.</summary>
    public string LocalReturnUrl => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";

    public void OnGet()
    {
        if (Error == "provider")
        {
            Problem = L["Signing in with {0} did not complete. Try again, or sign in with an API key.", oidc.Value.ProviderName];
        }
    }

    /// <summary>The "Sign in with …" link: off to the identity provider (authorization code flow with PKCE).</summary>
    public IActionResult OnGetProvider()
    {
        if (Provider is null)
        {
            return NotFound();
        }

        // Back through the continuation page, not straight to the page asked for (see OnGetComplete).
        var back = $"/sign-in?handler=complete&returnUrl={Uri.EscapeDataString(LocalReturnUrl)}";
        return Challenge(new AuthenticationProperties { RedirectUri = back }, OidcWebSignIn.Scheme);
    }

    /// <summary>
    /// The page the provider's answer ends on. The session cookie is SameSite=Strict, and the browser arrived here through a
    /// chain of redirects that began at the provider's site, so it would not send the cookie on that chain: this page moves
    /// on by itself, and that navigation starts here, on the planner's own site, with the cookie.
    /// </summary>
    public void OnGetComplete() => ContinueTo = LocalReturnUrl;

    public async Task<IActionResult> OnPostAsync(string? key, CancellationToken ct)
    {
        // The same check as Authorization: Bearer (ApiKeyLookup): the bootstrap key or a stored, unrevoked key.
        var lookup = HttpContext.RequestServices.GetRequiredService<ApiKeyLookup>();
        var found = await lookup.FindAsync(key, ct);
        if (found is null)
        {
            Problem = L["That key is not known, or it has been revoked."];
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await UiHosting.SignInAsync(HttpContext, found, key!);
        return LocalRedirect(LocalReturnUrl);
    }
}
