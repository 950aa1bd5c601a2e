using CommissionPlanner.Data;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Endpoints;
using CommissionPlanner.Web.Lists;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CommissionPlanner.Web.Pages.Engagements;

/// <summary>
/// An engagement: details, attendees, actions and history. Every action calls the same command as
/// <c>POST /api/engagements/{id}/…</c> (<see cref="EngagementCommands"/>) and shows its refusal, clashes included.
/// </summary>
[PageAuthorize(Policies.ReadProgramme)]
public sealed class DetailsModel(PlanningQueries queries, EngagementCommands commands) : PlannerPageModel
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

        var outcome = await commands.AddAttendee(id, new AttendeeInput(personId, role));
        return await After(id, outcome.Failure, "invited", ct);
    }

    public async Task<IActionResult> OnPostReplyAsync(Guid id, string? personId, string? response, CancellationToken ct)
    {
        if (!await Allowed(Policies.PlanOrSelf))
        {
            return ForbiddenPage();
        }

        var outcome = Guid.TryParse(personId, out var person)
            ? (await commands.SetResponse(id, person, new ResponseInput(response), User)).Failure
            : Failure.NotFound("attendee");
        return await After(id, outcome, "replied", ct);
    }

    public async Task<IActionResult> OnPostConfirmAsync(Guid id, CancellationToken ct)
    {
        if (!await Allowed(Policies.Plan))
        {
            return ForbiddenPage();
        }

        return await After(id, (await commands.Confirm(id)).Failure, "confirmed", ct);
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid id, string? reason, CancellationToken ct)
    {
        if (!await Allowed(Policies.Plan))
        {
            return ForbiddenPage();
        }

        return await After(id, (await commands.Cancel(id, new CancelInput(reason), ct)).Failure, "cancelled", ct);
    }

    public async Task<IActionResult> OnPostReviewAsync(Guid id, string? decision, string? note, CancellationToken ct)
    {
        if (!await Allowed(Policies.Review))
        {
            return ForbiddenPage();
        }

        return await After(id, (await commands.Review(id, new ReviewInput(decision, note), User, ct)).Failure, "reviewed", ct);
    }

    /// <summary>The attendee list as CSV: the bytes <c>GET /api/engagements/{id}/attendees?format=csv</c> answers.</summary>
    public async Task<IActionResult> OnGetCsvAsync(Guid id, CancellationToken ct)
    {
        var lists = HttpContext.RequestServices.GetRequiredService<ListQueries>();
        await Downloads.Send(HttpContext, await ListsApi.EngagementAttendees(id.ToString(), "csv", null, HttpContext, lists, ct), $"attendees-{id}.csv");
        return new EmptyResult();
    }

    /// <summary>After an action: back to the page with a notice, or the page again with the refusal (clashes included).</summary>
    private async Task<IActionResult> After(Guid id, Failure? failure, string notice, CancellationToken ct)
    {
        if (failure is null)
        {
            return Redirect($"/engagements/{id}?notice={notice}");
        }

        if (!await Load(id, ct))
        {
            return NotFound();
        }

        Response.StatusCode = EditForms.StatusOf(failure);
        Problem = failure.Errors.Count > 0 ? L["Please correct the problem below."].Value : failure.Message;
        if (failure.Errors.Count > 0 && !failure.Errors.Keys.Any(k => k is "reason" or "note" or "decision"))
        {
            Problem = string.Join(" ", failure.Errors.SelectMany(e => e.Value));
        }

        Form.AddAll(failure.Errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal));
        ProblemConflicts = [.. failure.Conflicts.Select(PlanningQueries.ToResource)];
        return Page();
    }

    private async Task<bool> Load(Guid id, CancellationToken ct)
    {
        if (await queries.Engagement(id, ct) is not { } engagement)
        {
            return false;
        }

        Engagement = User.Engagement(engagement);
        Attendees = await queries.Attendees(id, ct) ?? [];
        Delegations = await queries.Delegations(engagement.ProgrammeId, ct);
        Warnings = [.. (await queries.Conflicts(engagement.ProgrammeId, ct)).Where(c => c.EngagementIds.Contains(id))];
        var dbFactory = HttpContext.RequestServices.GetRequiredService<IDbContextFactory<PlannerDbContext>>();
        History = await AuditApi.EngagementHistory(id, new Lists.Page(AuditApi.MaxEntries, null), HttpContext, User, dbFactory, ct) ?? [];

        return true;
    }
}
