using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.Engagements;

/// <summary>
/// Edits an engagement through <see cref="EngagementCommands.Update"/>, the command behind <c>PATCH /api/engagements/{id}</c>.
/// The form carries the version it showed; a save over a newer version saves nothing and shows both.
/// </summary>
[PageAuthorize(Policies.Plan)]
public sealed class EditEngagementModel(PlanningQueries queries, EngagementCommands commands) : PlannerPageModel
{
    [BindProperty]
    public EngagementForm Form { get; set; } = new();

    /// <summary>The version the form was filled from, sent back as the expected version.</summary>
    [BindProperty]
    public int? Version { get; set; }

    internal FormErrors Errors { get; } = new();

    internal EditConflict? Conflict { get; private set; }

    public EngagementResource Engagement { get; private set; } = null!;

    public IReadOnlyList<VenueResource> Venues { get; private set; } = [];

    public IReadOnlyList<ClashResource> Warnings { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await Load(id, ct) || await Current(id, ct) is not { } current)
        {
            return NotFound();
        }

        (Form, Version) = current;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await Load(id, ct))
        {
            return NotFound();
        }

        Form.Kind = Engagement.Kind;
        var input = Form.ToInput(Errors);
        if (Errors.Any)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var outcome = Version is { } expected
            ? await commands.Update(id, (current, _) => EngagementForm.Lay(input, current), expected, ct)
            : EditForms.MissingVersion();
        if (outcome.Succeeded)
        {
            if (outcome.Value.Warnings.Count > 0 && await Current(id, ct) is { } saved)
            {
                // Saved, but someone now clashes: say so here rather than redirect the warning away. The form shows the
                // record as saved, with its version, so saving it again cannot overwrite a change it does not show.
                await Load(id, ct);
                Warnings = [.. outcome.Value.Warnings.Select(PlanningQueries.ToResource)];
                (Form, Version) = saved;
                NoticeCode = "saved";
                return Page();
            }

            return Redirect($"/engagements/{id}?notice=saved");
        }

        var failure = outcome.Failure!;
        Response.StatusCode = EditForms.StatusOf(failure);
        if (failure.IsStale && await Current(id, ct) is { } now)
        {
            await Load(id, ct);
            Conflict = EditConflict.Between(failure, now.Version, now.Form.Shown(Venues), Form.Shown(Venues));
            Version = now.Version;
            return Page();
        }

        EditForms.Show(failure, Errors);
        return Page();
    }

    /// <summary>The engagement as its form shows it, with the version it was read at.</summary>
    private async Task<(EngagementForm Form, int Version)?> Current(Guid id, CancellationToken ct)
    {
        if (await queries.EngagementRecord(id, ct) is not { } record)
        {
            return null;
        }

        var venues = await queries.VenueRefs([record.FromVenueId], ct);
        return (EngagementForm.From(EngagementPatch.CurrentInput(record, venues[record.FromVenueId])), record.Version);
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
