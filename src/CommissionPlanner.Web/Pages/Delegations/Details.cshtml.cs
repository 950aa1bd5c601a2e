using CommissionPlanner.Web.Lists;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.Delegations;

/// <summary>A delegation's people × engagements matrix, from <c>GET /api/delegations/{id}/matrix</c>'s own function; CSV the same.</summary>
[PageAuthorize(Policies.ReadProgramme)]
public sealed class DelegationModel(ListQueries lists) : PlannerPageModel
{
    public DelegationMatrix Matrix { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (EndpointOutcome.From(await ListsApi.Matrix(id.ToString(), "json", HttpContext, lists, ct)).ValueAs<DelegationMatrix>() is not { } matrix)
        {
            return NotFound();
        }

        Matrix = matrix;
        return Page();
    }

    /// <summary>The bytes <c>GET /api/delegations/{id}/matrix?format=csv</c> answers, under the page's cookie sign-in.</summary>
    public async Task<IActionResult> OnGetCsvAsync(Guid id, CancellationToken ct)
    {
        var result = await ListsApi.Matrix(id.ToString(), "csv", HttpContext, lists, ct);
        if (EndpointOutcome.From(result).Succeeded)
        {
            Response.Headers.ContentDisposition = $"attachment; filename=\"delegation-{id}-matrix.csv\"";
        }

        await result.ExecuteAsync(HttpContext);
        return new EmptyResult();
    }
}
