using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.Programmes;

/// <summary>Creates a programme through <see cref="ReferenceCommands.CreateProgramme"/>, the command behind <c>POST /api/programmes</c>.</summary>
[PageAuthorize(Policies.Plan)]
public sealed class NewProgrammeModel(ReferenceCommands commands) : PlannerPageModel
{
    [BindProperty] public string? Name { get; set; }

    [BindProperty] public string? NameZh { get; set; }

    [BindProperty] public string? StartDate { get; set; }

    [BindProperty] public string? EndDate { get; set; }

    [BindProperty] public string? TimeZone { get; set; }

    [BindProperty] public string? Areas { get; set; }

    internal FormErrors Errors { get; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var input = new ProgrammeInput(Name, StartDate, EndDate, TimeZone, EngagementForm.SplitAreas(Areas), NameZh: NameZh);
        var outcome = await commands.CreateProgramme(input);
        if (outcome.Succeeded)
        {
            return Redirect($"/programmes/{outcome.Value.Id}?notice=created");
        }

        Response.StatusCode = EditForms.StatusOf(outcome.Failure!);
        EditForms.Show(outcome.Failure!, Errors);
        return Page();
    }
}
