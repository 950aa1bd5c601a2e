using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CommissionPlanner.Web.Ui;

/// <summary>What every planner page shares: handler-level policy checks and the short notices shown after a change.</summary>
public abstract class PlannerPageModel : PageModel
{
    /// <summary>Fixed notices by code (a redirect carries the code, never free text, so nothing can be injected).</summary>
    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["created"] = "Created.",
        ["saved"] = "Saved.",
        ["invited"] = "Invited.",
        ["replied"] = "Reply recorded.",
        ["confirmed"] = "Engagement confirmed.",
        ["cancelled"] = "Engagement cancelled.",
        ["reviewed"] = "Review decision recorded.",
        ["members-imported"] = "Members imported from the sheet.",
        ["revoked"] = "Subscription link revoked: it no longer works.",
        ["sent"] = "Queued notifications composed and sent.",
        ["booked"] = "Transfer booked.",
    };

    [BindProperty(SupportsGet = true, Name = "notice")]
    public string? NoticeCode { get; set; }

    public string? Notice => NoticeCode is not null && Notices.TryGetValue(NoticeCode, out var text) ? text : null;

    /// <summary>A problem to show at the top of the page (a refusal the API would answer with 409, say).</summary>
    public string? Problem { get; set; }

    protected async Task<bool> Allowed(string policy)
    {
        var authorization = HttpContext.RequestServices.GetRequiredService<IAuthorizationService>();
        return (await authorization.AuthorizeAsync(User, policy)).Succeeded;
    }

    /// <summary>The 403 page for a handler the caller's role may not use.</summary>
    protected IActionResult ForbiddenPage() => new ContentResult
    {
        StatusCode = StatusCodes.Status403Forbidden, ContentType = "text/html; charset=utf-8", Content = UiHosting.ForbiddenHtml,
    };

    protected ClaimsPrincipal Caller => User;
}
