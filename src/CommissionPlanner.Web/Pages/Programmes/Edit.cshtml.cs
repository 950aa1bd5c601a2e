using System.Text.Json.Nodes;
using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CommissionPlanner.Web.Pages.Programmes;

/// <summary>Edits a programme through <c>PATCH /api/programmes/{id}</c>'s own function (merge, ReferenceSpecs, the grain).</summary>
[PageAuthorize(Policies.Plan)]
public sealed class EditProgrammeModel(PlanningQueries queries, IGrainFactory grains, IDateTimeZoneProvider zones) : PlannerPageModel
{
    [BindProperty] public string? Name { get; set; }

    [BindProperty] public string? StartDate { get; set; }

    [BindProperty] public string? EndDate { get; set; }

    [BindProperty] public string? TimeZone { get; set; }

    [BindProperty] public string? Areas { get; set; }

    [BindProperty] public int? Version { get; set; }

    internal FormErrors Errors { get; } = new();

    public ProgrammeResource Programme { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await queries.Programme(id, ct) is not { } programme)
        {
            return NotFound();
        }

        Programme = programme;
        Name = programme.Name;
        StartDate = programme.StartDate;
        EndDate = programme.EndDate;
        TimeZone = programme.TimeZone;
        Areas = string.Join(", ", programme.Areas);
        Version = programme.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await queries.Programme(id, ct) is not { } programme)
        {
            return NotFound();
        }

        Programme = programme;
        var body = EditForms.Body(new JsonObject
        {
            ["name"] = EditForms.Blank(Name),
            ["startDate"] = EditForms.Blank(StartDate),
            ["endDate"] = EditForms.Blank(EndDate),
            ["timeZone"] = EditForms.Blank(TimeZone),
            ["areas"] = new JsonArray([.. EngagementForm.SplitAreas(Areas).Select(a => (JsonNode?)JsonValue.Create(a))]),
        });
        EditForms.SetIfMatch(HttpContext, Version);
        var outcome = EndpointOutcome.From(await ProgrammesApi.PatchProgramme(id.ToString(), body, HttpContext, grains, queries, zones, ct));
        if (outcome.Succeeded)
        {
            return Redirect($"/programmes/{id}?notice=saved");
        }

        Response.StatusCode = outcome.Status;
        EditForms.Show(outcome, Errors);
        return Page();
    }
}
