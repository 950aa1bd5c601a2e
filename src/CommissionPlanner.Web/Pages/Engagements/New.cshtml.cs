using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.Engagements;

/// <summary>Creates an engagement through <see cref="EngagementCommands.Create"/>, the command behind <c>POST /api/programmes/{id}/engagements</c>.</summary>
[PageAuthorize(Policies.Plan)]
public sealed class NewEngagementModel(PlanningQueries queries, EngagementCommands commands) : PlannerPageModel
{
    [BindProperty]
    public EngagementForm Form { get; set; } = new();

    internal FormErrors Errors { get; } = new();

    public ProgrammeResource Programme { get; private set; } = null!;

    public IReadOnlyList<VenueResource> Venues { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await Load(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await Load(id, ct))
        {
            return NotFound();
        }

        var input = Form.ToInput(Errors);
        if (Errors.Any)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var outcome = await commands.Create(id, input, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/engagements/{outcome.Value.Id}?notice=created");
        }

        Response.StatusCode = EditForms.StatusOf(outcome.Failure!);
        EditForms.Show(outcome.Failure!, Errors);
        return Page();
    }

    private async Task<bool> Load(Guid id, CancellationToken ct)
    {
        if (await queries.Programme(id, ct) is not { } programme)
        {
            return false;
        }

        Programme = programme;
        Venues = await queries.Venues(ct);
        return true;
    }
}
