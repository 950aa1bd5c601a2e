using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.Delegations;

/// <summary>Creates a delegation through <see cref="ReferenceCommands.CreateDelegation"/>, the command behind <c>POST /api/programmes/{id}/delegations</c>.</summary>
[PageAuthorize(Policies.Plan)]
public sealed class NewDelegationModel(ReferenceCommands commands) : PlannerPageModel
{
    [BindProperty] public string? Name { get; set; }

    [BindProperty] public string? Country { get; set; }

    internal FormErrors Errors { get; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var outcome = await commands.CreateDelegation(id, new DelegationInput(Name, Country), ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/delegations/{outcome.Value.Id}?notice=created");
        }

        Response.StatusCode = EditForms.StatusOf(outcome.Failure!);
        EditForms.Show(outcome.Failure!, Errors);
        return Page();
    }
}
