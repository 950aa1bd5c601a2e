using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.Delegations;

/// <summary>
/// Edits a delegation through <see cref="ReferenceCommands.UpdateDelegation"/>, the command behind <c>PATCH /api/delegations/{id}</c>.
/// The form carries the version it showed; a save over a newer version saves nothing and shows both.
/// </summary>
[PageAuthorize(Policies.Plan)]
public sealed class EditDelegationModel(PlanningQueries queries, ReferenceCommands commands) : PlannerPageModel
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

    internal EditConflict? Conflict { get; private set; }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await queries.Delegation(id, ct) is not { } delegation)
        {
            return NotFound();
        }

        Delegation = delegation;
        var input = new DelegationInput(EditForms.Blank(Name), EditForms.Blank(Country));
        var outcome = Version is { } expected
            ? await commands.UpdateDelegation(id, (_, _) => input, expected, ct)
            : EditForms.MissingVersion();
        if (outcome.Succeeded)
        {
            return Redirect($"/delegations/{id}?notice=saved");
        }

        var failure = outcome.Failure!;
        Response.StatusCode = EditForms.StatusOf(failure);
        if (failure.IsStale && await queries.Delegation(id, ct) is { } now)
        {
            Delegation = now;
            Conflict = EditConflict.Between(failure, now.Version, Shown(now.Name, now.Country), Shown(Name, Country));
            Version = now.Version;
            return Page();
        }

        EditForms.Show(failure, Errors);
        return Page();
    }

    private (string, string, string?)[] Shown(string? name, string? country) => [("name", L["Name"].Value, name), ("country", L["Country"].Value, country)];
}
