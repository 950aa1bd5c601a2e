using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CommissionPlanner.Web.Pages.Engagements;

/// <summary>Creates an engagement through <c>POST /api/programmes/{id}/engagements</c>'s own function (EngagementSpecs, the grain).</summary>
[PageAuthorize(Policies.Plan)]
public sealed class NewEngagementModel(PlanningQueries queries, IGrainFactory grains, IDateTimeZoneProvider zones) : PlannerPageModel
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

        var outcome = EndpointOutcome.From(await EngagementsApi.CreateEngagement(id.ToString(), input, grains, queries, zones, ct));
        if (outcome.ValueAs<EngagementResource>() is { } created)
        {
            return Redirect($"/engagements/{created.Id}?notice=created");
        }

        Response.StatusCode = outcome.Status;
        EditForms.Show(outcome, Errors);
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
