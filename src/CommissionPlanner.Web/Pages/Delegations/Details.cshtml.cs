using CommissionPlanner.Web.Lists;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.Delegations;

/// <summary>A delegation's people × engagements matrix, as <c>GET /api/delegations/{id}/matrix</c> reads it; CSV as that endpoint writes it.</summary>
[PageAuthorize(Policies.ReadProgramme)]
public sealed class DelegationModel(ListQueries lists) : PlannerPageModel
{
    public DelegationMatrix Matrix { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await lists.Matrix(id, ct) is not { } matrix)
        {
            return NotFound();
        }

        Matrix = matrix;
        return Page();
    }

    /// <summary>The bytes <c>GET /api/delegations/{id}/matrix?format=csv</c> answers, under the page's cookie sign-in.</summary>
    public async Task<IActionResult> OnGetCsvAsync(Guid id, CancellationToken ct)
    {
        await Downloads.Send(HttpContext, await ListsApi.Matrix(id.ToString(), "csv", HttpContext, lists, ct), $"delegation-{id}-matrix.csv");
        return new EmptyResult();
    }
}
