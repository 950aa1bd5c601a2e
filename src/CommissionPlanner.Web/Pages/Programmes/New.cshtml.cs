using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CommissionPlanner.Web.Pages.Programmes;

/// <summary>Creates a programme through <c>POST /api/programmes</c>'s own function (ReferenceSpecs, the programme grain).</summary>
[PageAuthorize(Policies.Plan)]
public sealed class NewProgrammeModel(PlanningQueries queries, IGrainFactory grains, IDateTimeZoneProvider zones) : PlannerPageModel
{
    [BindProperty] public string? Name { get; set; }

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
        var input = new ProgrammeInput(Name, StartDate, EndDate, TimeZone, EngagementForm.SplitAreas(Areas));
        var outcome = EndpointOutcome.From(await ProgrammesApi.CreateProgramme(input, grains, queries, zones, ct));
        if (outcome.ValueAs<ProgrammeResource>() is { } created)
        {
            return Redirect($"/programmes/{created.Id}?notice=created");
        }

        Response.StatusCode = outcome.Status;
        EditForms.Show(outcome, Errors);
        return Page();
    }
}
