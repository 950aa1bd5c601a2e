using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.People;

/// <summary>Adds a person through <see cref="ReferenceCommands.AddMember"/>, the command behind <c>POST /api/delegations/{id}/members</c>.</summary>
[PageAuthorize(Policies.Plan)]
public sealed class NewMemberModel(ReferenceCommands commands) : PlannerPageModel
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
        var outcome = await commands.AddMember(id, input, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/people/{outcome.Value.Id}?notice=created");
        }

        Response.StatusCode = EditForms.StatusOf(outcome.Failure!);
        EditForms.Show(outcome.Failure!, Errors);
        return Page();
    }
}
