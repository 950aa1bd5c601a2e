using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages;

[PageAuthorize(Policies.AnyRole)]
public sealed class IndexModel(PlanningQueries queries) : PlannerPageModel
{
    public IReadOnlyList<ProgrammeResource> Programmes { get; private set; } = [];

    public IReadOnlyList<VenueResource> Venues { get; private set; } = [];

    /// <summary>A delegate's own page (their start page).</summary>
    public string? MyPage { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        // A delegate sees only themself: their start page is their own itinerary.
        if (User.DelegatePersonId() is { } me)
        {
            MyPage = $"/people/{me}";
            return UiHosting.IsBrowser(Request) ? Redirect(MyPage) : Page();
        }

        if (User.IsInRole(Roles.Delegate))
        {
            return ForbiddenPage();
        }

        Programmes = await queries.Programmes(ct);
        Venues = await queries.Venues(ct);
        return Page();
    }
}
