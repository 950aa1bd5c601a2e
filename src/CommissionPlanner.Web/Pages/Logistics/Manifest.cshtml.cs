using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.Logistics;

/// <summary>A vehicle's passenger manifest, for the screen and for print (one transfer after another), and as the API's CSV.</summary>
[PageAuthorize(Policies.ReadProgramme)]
public sealed class ManifestModel(PlanningQueries queries, LogisticsQueries logistics) : PlannerPageModel
{
    public ManifestResource Manifest { get; private set; } = null!;

    public ProgrammeResource Programme { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await logistics.Manifest(id, ct) is not { } manifest || await queries.Programme(manifest.Vehicle.ProgrammeId, ct) is not { } programme)
        {
            return NotFound();
        }

        Manifest = manifest;
        Programme = programme;
        return Page();
    }

    /// <summary>The manifest CSV exactly as <c>GET /api/vehicles/{id}/manifest?format=csv</c> answers it.</summary>
    public async Task<IActionResult> OnGetCsvAsync(Guid id, CancellationToken ct)
    {
        await Downloads.Send(HttpContext, await HotelsAndTransfersApi.Manifest(id.ToString(), "csv", HttpContext, logistics, ct), $"manifest-{id}.csv");
        return new EmptyResult();
    }
}
