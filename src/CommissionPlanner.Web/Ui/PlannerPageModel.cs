using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CommissionPlanner.Web.Ui;

/// <summary>What every planner page shares: handler-level policy checks and the short notices shown after a change.</summary>
public abstract class PlannerPageModel : PageModel
{
    [BindProperty(SupportsGet = true, Name = "notice")]
    public string? NoticeCode { get; set; }

    /// <summary>Fixed notices by code (a redirect carries the code, never free text, so nothing can be injected).</summary>
    public string? Notice => (NoticeCode switch
    {
        "created" => Shared["Created."],
        "saved" => Shared["Saved."],
        "invited" => Shared["Invited."],
        "replied" => Shared["Reply recorded."],
        "confirmed" => Shared["Engagement confirmed."],
        "cancelled" => Shared["Engagement cancelled."],
        "reviewed" => Shared["Review decision recorded."],
        "members-imported" => Shared["Members imported from the sheet."],
        "revoked" => Shared["Subscription link revoked: it no longer works."],
        "sent" => Shared["Queued notifications composed and sent."],
        "booked" => Shared["Transfer booked."],
        _ => (LocalizedString?)null,
    })?.Value;

    /// <summary>
    /// This page model's texts in the reader's language, keyed by their English text, from
    /// <c>Resources/Pages/&lt;folder&gt;/&lt;ModelClass&gt;.zh-Hans.resx</c> (docs/languages.md).
    /// </summary>
    protected IStringLocalizer L => localizer ??= HttpContext.RequestServices.GetRequiredService<IStringLocalizerFactory>().Create(GetType());

    private IStringLocalizer? localizer;

    /// <summary>What every page shares (the notices, the 403 page): <c>Resources/Ui/PlannerPageModel.zh-Hans.resx</c>.</summary>
    private static readonly IStringLocalizer Shared = Localised.For(typeof(PlannerPageModel));

    /// <summary>A problem to show at the top of the page (a refusal the API would answer with 409, say).</summary>
    /// <remarks>Refusals come from the domain in English; they are shown in the reader's language (<see cref="Messages"/>).</remarks>
    public string? Problem { get => problem; set => problem = Messages.Translate(value); }

    private string? problem;

    protected async Task<bool> Allowed(string policy)
    {
        var authorization = HttpContext.RequestServices.GetRequiredService<IAuthorizationService>();
        return (await authorization.AuthorizeAsync(User, policy)).Succeeded;
    }

    /// <summary>The 403 page for a handler the caller's role may not use.</summary>
    protected IActionResult ForbiddenPage() => new ContentResult
    {
        StatusCode = StatusCodes.Status403Forbidden, ContentType = "text/html; charset=utf-8", Content = UiHosting.ForbiddenHtml(),
    };

    protected ClaimsPrincipal Caller => User;
}
