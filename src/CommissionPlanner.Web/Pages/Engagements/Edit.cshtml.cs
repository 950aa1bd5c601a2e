using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CommissionPlanner.Web.Pages.Engagements;

/// <summary>Edits an engagement through <c>PATCH /api/engagements/{id}</c>'s own function (merge, EngagementSpecs, the grain).</summary>
[PageAuthorize(Policies.Plan)]
public sealed class EditEngagementModel(PlanningQueries queries, IGrainFactory grains, IDateTimeZoneProvider zones) : PlannerPageModel
{
    [BindProperty]
    public EngagementForm Form { get; set; } = new();

    internal FormErrors Errors { get; } = new();

    public EngagementResource Engagement { get; private set; } = null!;

    public IReadOnlyList<VenueResource> Venues { get; private set; } = [];

    public IReadOnlyList<ClashResource> Warnings { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await Load(id, ct) || await queries.EngagementRecord(id, ct) is not { } record)
        {
            return NotFound();
        }

        var venues = await queries.VenueRefs([record.FromVenueId], ct);
        Form = EngagementForm.From(EngagementPatch.CurrentInput(record, venues[record.FromVenueId]));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await Load(id, ct))
        {
            return NotFound();
        }

        Form.Kind = Engagement.Kind;
        var patch = Form.ToPatch(Engagement.Kind == "travel", Errors);
        if (Errors.Any)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var outcome = EndpointOutcome.From(await EngagementsApi.PatchEngagement(id.ToString(), patch, HttpContext, grains, queries, zones, ct));
        if (outcome.ValueAs<EngagementResource>() is { } updated)
        {
            if (updated.Warnings is { Count: > 0 } warnings)
            {
                // Saved, but someone now clashes: say so here rather than redirect the warning away.
                Engagement = updated;
                Warnings = warnings;
                NoticeCode = "saved";
                return Page();
            }

            return Redirect($"/engagements/{id}?notice=saved");
        }

        Response.StatusCode = outcome.Status;
        EditForms.Show(outcome, Errors);
        return Page();
    }

    private async Task<bool> Load(Guid id, CancellationToken ct)
    {
        if (await queries.Engagement(id, ct) is not { } engagement)
        {
            return false;
        }

        Engagement = engagement;
        Venues = await queries.Venues(ct);
        return true;
    }
}
