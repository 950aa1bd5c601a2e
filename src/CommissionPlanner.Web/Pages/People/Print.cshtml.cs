using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.People;

[PageAuthorize(Policies.AnyRole)]
public sealed class PrintPersonModel(PlanningQueries queries) : PlannerPageModel
{
    public PrintItinerary Print { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await PrintItinerary.LoadAsync(queries, User, id, ct) is not { } print)
        {
            return NotFound();
        }

        Print = print;
        return Page();
    }
}
