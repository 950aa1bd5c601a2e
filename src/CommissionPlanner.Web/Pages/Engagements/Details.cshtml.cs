using CommissionPlanner.Data;
using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Lists;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CommissionPlanner.Web.Pages.Engagements;

/// <summary>
/// An engagement: details, attendees, actions and history. Every action calls the API's own endpoint function (the same
/// validation and grain call as <c>POST /api/engagements/{id}/…</c>) and shows its refusal, clashes included.
/// </summary>
[PageAuthorize(Policies.ReadProgramme)]
public sealed class DetailsModel(PlanningQueries queries, IGrainFactory grains) : PlannerPageModel
{
    public EngagementResource Engagement { get; private set; } = null!;

    public IReadOnlyList<AttendeeResource> Attendees { get; private set; } = [];

    public IReadOnlyList<DelegationResource> Delegations { get; private set; } = [];

    public IReadOnlyList<ClashResource> Warnings { get; private set; } = [];

    public IReadOnlyList<ClashResource> ProblemConflicts { get; private set; } = [];

    public IReadOnlyList<AuditEntryResource> History { get; private set; } = [];

    internal FormErrors Form { get; } = new();

    public string PersonName(Guid id) =>
        Delegations.SelectMany(d => d.Members).FirstOrDefault(m => m.Id == id)?.FullName ?? id.ToString();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await Load(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostInviteAsync(Guid id, string? personId, string? role, CancellationToken ct)
    {
        if (!await Allowed(Policies.Plan))
        {
            return ForbiddenPage();
        }

        var result = await EngagementsApi.AddAttendee(id.ToString(), new AttendeeInput(personId, role), grains);
        return await After(id, EndpointOutcome.From(result), "invited", ct);
    }

    public async Task<IActionResult> OnPostReplyAsync(Guid id, string? personId, string? response, CancellationToken ct)
    {
        if (!await Allowed(Policies.PlanOrSelf))
        {
            return ForbiddenPage();
        }

        var result = await EngagementsApi.SetResponse(id.ToString(), personId ?? string.Empty, new ResponseInput(response), User, grains, queries, ct);
        return await After(id, EndpointOutcome.From(result), "replied", ct);
    }

    public async Task<IActionResult> OnPostConfirmAsync(Guid id, CancellationToken ct)
    {
        if (!await Allowed(Policies.Plan))
        {
            return ForbiddenPage();
        }

        var result = await EngagementsApi.Confirm(id.ToString(), grains, queries, ct);
        return await After(id, EndpointOutcome.From(result), "confirmed", ct);
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid id, string? reason, CancellationToken ct)
    {
        if (!await Allowed(Policies.Plan))
        {
            return ForbiddenPage();
        }

        var result = await EngagementsApi.Cancel(id.ToString(), new CancelInput(reason), grains, queries, ct);
        return await After(id, EndpointOutcome.From(result), "cancelled", ct);
    }

    public async Task<IActionResult> OnPostReviewAsync(Guid id, string? decision, string? note, CancellationToken ct)
    {
        if (!await Allowed(Policies.Review))
        {
            return ForbiddenPage();
        }

        var result = await ReviewApi.Review(id.ToString(), new ReviewInput(decision, note), User, grains, queries, ct);
        return await After(id, EndpointOutcome.From(result), "reviewed", ct);
    }

    /// <summary>The attendee list as CSV: the bytes <c>GET /api/engagements/{id}/attendees?format=csv</c> answers.</summary>
    public async Task<IActionResult> OnGetCsvAsync(Guid id, CancellationToken ct)
    {
        var lists = HttpContext.RequestServices.GetRequiredService<ListQueries>();
        var result = await ListsApi.EngagementAttendees(id.ToString(), "csv", null, HttpContext, lists, ct);
        if (EndpointOutcome.From(result).Succeeded)
        {
            Response.Headers.ContentDisposition = $"attachment; filename=\"attendees-{id}.csv\"";
        }

        await result.ExecuteAsync(HttpContext);
        return new EmptyResult();
    }

    private async Task<IActionResult> After(Guid id, EndpointOutcome outcome, string notice, CancellationToken ct)
    {
        if (outcome.Succeeded)
        {
            return Redirect($"/engagements/{id}?notice={notice}");
        }

        if (!await Load(id, ct))
        {
            return NotFound();
        }

        Response.StatusCode = outcome.Status;
        Problem = outcome.Errors.Count > 0 ? "Please correct the problem below." : outcome.Detail;
        if (outcome.Errors.Count > 0 && outcome.Detail is not null && !outcome.Errors.Keys.Any(k => k is "reason" or "note" or "decision"))
        {
            Problem = string.Join(" ", outcome.Errors.SelectMany(e => e.Value));
        }

        Form.AddAll(outcome.Errors);
        ProblemConflicts = outcome.Conflicts;
        return Page();
    }

    private async Task<bool> Load(Guid id, CancellationToken ct)
    {
        if (await queries.Engagement(id, ct) is not { } engagement)
        {
            return false;
        }

        Engagement = engagement;
        Attendees = await queries.Attendees(id, ct) ?? [];
        Delegations = await queries.Delegations(engagement.ProgrammeId, ct);
        Warnings = [.. (await queries.Conflicts(engagement.ProgrammeId, ct)).Where(c => c.EngagementIds.Contains(id))];
        var dbFactory = HttpContext.RequestServices.GetRequiredService<IDbContextFactory<PlannerDbContext>>();
        if (EndpointOutcome.From(await AuditApi.History(id.ToString(), null, null, HttpContext, User, dbFactory, ct)).ValueAs<List<AuditEntryResource>>() is { } history)
        {
            History = history;
        }

        return true;
    }
}
