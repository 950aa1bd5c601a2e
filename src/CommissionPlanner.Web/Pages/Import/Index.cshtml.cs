using System.Text.Json;
using CommissionPlanner.Data.Import;
using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CommissionPlanner.Web.Pages.Import;

/// <summary>
/// Upload a programme document; the API's importer runs it in the background (<see cref="ImportJobs"/>) and the browser
/// goes to a status page that refreshes itself until the summary, or every error, is there.
/// </summary>
[PageAuthorize(Policies.Plan)]
[RequestSizeLimit(ImportExportApi.MaxImportBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = ImportExportApi.MaxImportBytes)]
public sealed class ImportModel(PlanningQueries queries, ImportJobs jobs, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : PlannerPageModel
{
    public IReadOnlyList<ProgrammeResource> Programmes { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Programmes = await queries.Programmes(ct);

    public async Task<IActionResult> OnPostAsync(IFormFile? document, CancellationToken ct)
    {
        Programmes = await queries.Programmes(ct);
        if (document is null || document.Length == 0)
        {
            Problem = L["Choose a JSON file to import."];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        ProgrammeDocument? parsed;
        try
        {
            await using var stream = document.OpenReadStream();
            // The API's JSON settings, so a document reads here exactly as it does at POST /api/programmes/import.
            parsed = await JsonSerializer.DeserializeAsync<ProgrammeDocument>(stream, json.Value.SerializerOptions, ct);
        }
        catch (JsonException ex)
        {
            Problem = L["The file is not a valid JSON document: {0}", ex.Message];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (parsed is null)
        {
            Problem = L["The file is empty."];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var job = jobs.Start(parsed, Path.GetFileName(document.FileName), HttpContext.ToChangeActor());
        return Redirect($"/import/{job.Id}");
    }
}
