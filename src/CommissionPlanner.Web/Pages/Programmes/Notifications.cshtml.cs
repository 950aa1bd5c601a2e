using CommissionPlanner.Domain.Planning;
using CommissionPlanner.Web.Commands;
using CommissionPlanner.Web.Notifications;
using CommissionPlanner.Web.Planning;
using CommissionPlanner.Web.Security;
using CommissionPlanner.Web.Ui;
using Microsoft.AspNetCore.Mvc;

namespace CommissionPlanner.Web.Pages.Programmes;

/// <summary>
/// A programme's e-mail notifications for staff: what will go out, what went out, and who has seen nothing of the last
/// change that touched them (no feed fetched, no mail sent since). "Send now" is the command behind
/// <c>POST /api/programmes/{id}/notifications/send</c>.
/// </summary>
[PageAuthorize(Policies.Plan)]
public sealed class NotificationsModel(
    PlanningQueries queries, NotificationQueries notifications, NotificationOutbox outbox, ReferenceCommands commands) : PlannerPageModel
{
    public ProgrammeResource Programme { get; private set; } = null!;

    public IReadOnlyList<NotificationResource> Pending { get; private set; } = [];

    public IReadOnlyList<NotificationResource> Done { get; private set; } = [];

    public IReadOnlyList<UnreachedPerson> Unreached { get; private set; } = [];

    public SendResult? LastSend { get; private set; }

    private Dictionary<Guid, string> names = [];

    private Dictionary<Guid, string> titles = [];

    public string PersonName(Guid id) => names.GetValueOrDefault(id, id.ToString());

    public string Titles(IEnumerable<Guid> ids) => string.Join("; ", ids.Select(id => titles.GetValueOrDefault(id, id.ToString())));

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await Load(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostSendAsync(Guid id, CancellationToken ct)
    {
        if (!await queries.ProgrammeExists(id, ct))
        {
            return NotFound();
        }

        LastSend = await outbox.SendNowAsync(id, ct);
        if (LastSend is null)
        {
            Problem = L["No mail server is configured (Planner:Mail:SmtpHost and Planner:Mail:From), or Planner:Mail:Enabled is false: nothing can be sent. Queued notifications wait."];
            await Load(id, ct);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        return Redirect($"/programmes/{id}/notifications?notice=sent");
    }

    /// <summary>
    /// Switches the programme's e-mails on or off through the same command as <c>PATCH /api/programmes/{id}</c>, with the
    /// version the page showed (someone else's save in between is refused, not overwritten).
    /// </summary>
    public async Task<IActionResult> OnPostSwitchAsync(Guid id, bool enable, int? version, CancellationToken ct)
    {
        var outcome = version is { } expected
            ? await commands.UpdateProgramme(id, (current, _) => current with { NotificationsEnabled = enable }, expected, ct)
            : EditForms.MissingVersion();
        if (outcome.Succeeded)
        {
            return Redirect($"/programmes/{id}/notifications?notice=saved");
        }

        if (!await Load(id, ct))
        {
            return NotFound();
        }

        Problem = outcome.Failure!.Message;
        Response.StatusCode = EditForms.StatusOf(outcome.Failure);
        return Page();
    }

    private async Task<bool> Load(Guid id, CancellationToken ct)
    {
        if (await queries.Programme(id, ct) is not { } programme)
        {
            return false;
        }

        Programme = programme;
        var all = await notifications.ListAsync(id, [], null, ct);
        Pending = [.. all.Where(n => n.Status == "queued")];
        Done = [.. all.Where(n => n.Status != "queued")];
        Unreached = await notifications.UnreachedAsync(id, ct);
        names = (await queries.Delegations(id, ct)).SelectMany(d => d.Members).ToDictionary(m => m.Id, m => m.FullName);
        titles = (await queries.Engagements(id, null, null, null, ct)).ToDictionary(e => e.Id, e => e.Title);
        return true;
    }

    public static string When(string? utc) => utc is null ? "—" : Display.UtcText(utc);

    /// <summary>An instant, or "never" in the reader's language.</summary>
    public string WhenOrNever(NodaTime.Instant? at) => at is { } instant ? Display.UtcText(WireTime.FormatInstant(instant)) : L["never"];

    /// <summary>A sent notification's status as people read it (the wire values are <c>sent</c>, <c>failed</c>, <c>queued</c>).</summary>
    public string StatusText(string status) => status switch
    {
        "sent" => L["sent"],
        "failed" => L["failed"],
        "queued" => L["queued"],
        _ => Display.Words(status),
    };
}
