using System.Text.Json.Nodes;
using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.Delegations;

/// <summary>Edits a delegation through <c>PATCH /api/delegations/{id}</c>'s own function (merge, ReferenceSpecs, the grain).</summary>
[PageAuthorize(Policies.Plan)]
public sealed class EditDelegationModel(PlanningQueries queries, IGrainFactory grains) : PlannerPageModel
{
    [BindProperty] public string? Name { get; set; }

    [BindProperty] public string? Country { get; set; }

    [BindProperty] public int? Version { get; set; }

    internal FormErrors Errors { get; } = new();

    public DelegationResource Delegation { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await queries.Delegation(id, ct) is not { } delegation)
        {
            return NotFound();
        }

        Delegation = delegation;
        Name = delegation.Name;
        Country = delegation.Country;
        Version = delegation.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await queries.Delegation(id, ct) is not { } delegation)
        {
            return NotFound();
        }

        Delegation = delegation;
        var body = EditForms.Body(new JsonObject { ["name"] = EditForms.Blank(Name), ["country"] = EditForms.Blank(Country) });
        EditForms.SetIfMatch(HttpContext, Version);
        var outcome = EndpointOutcome.From(await ProgrammesApi.PatchDelegation(id.ToString(), body, HttpContext, grains, queries, ct));
        if (outcome.Succeeded)
        {
            return Redirect($"/delegations/{id}?notice=saved");
        }

        Response.StatusCode = outcome.Status;
        EditForms.Show(outcome, Errors);
        return Page();
    }
}
