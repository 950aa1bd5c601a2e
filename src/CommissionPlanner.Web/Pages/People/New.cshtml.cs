using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.People;

/// <summary>Adds a person through <c>POST /api/delegations/{id}/members</c>'s own function.</summary>
[PageAuthorize(Policies.Plan)]
public sealed class NewMemberModel(PlanningQueries queries, IGrainFactory grains) : PlannerPageModel
{
    [BindProperty] public string? FullName { get; set; }

    [BindProperty] public string? LocalName { get; set; }

    [BindProperty] public string? Organisation { get; set; }

    [BindProperty] public string? Title { get; set; }

    [BindProperty] public string? Email { get; set; }

    [BindProperty] public string? Role { get; set; } = "member";

    internal FormErrors Errors { get; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var input = new MemberInput(FullName, LocalName, Organisation, Title, Email, Role);
        var outcome = EndpointOutcome.From(await ProgrammesApi.AddMember(id.ToString(), input, grains, queries, ct));
        if (outcome.ValueAs<PersonResource>() is { } created)
        {
            return Redirect($"/people/{created.Id}?notice=created");
        }

        Response.StatusCode = outcome.Status;
        EditForms.Show(outcome, Errors);
        return Page();
    }
}
