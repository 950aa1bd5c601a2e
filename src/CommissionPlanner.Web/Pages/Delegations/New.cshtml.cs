using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.Delegations;

/// <summary>Creates a delegation through <c>POST /api/programmes/{id}/delegations</c>'s own function.</summary>
[PageAuthorize(Policies.Plan)]
public sealed class NewDelegationModel(PlanningQueries queries, IGrainFactory grains) : PlannerPageModel
{
    [BindProperty] public string? Name { get; set; }

    [BindProperty] public string? Country { get; set; }

    internal FormErrors Errors { get; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var outcome = EndpointOutcome.From(await ProgrammesApi.CreateDelegation(id.ToString(), new DelegationInput(Name, Country), grains, queries, ct));
        if (outcome.ValueAs<DelegationResource>() is { } created)
        {
            return Redirect($"/delegations/{created.Id}?notice=created");
        }

        Response.StatusCode = outcome.Status;
        EditForms.Show(outcome, Errors);
        return Page();
    }
}
